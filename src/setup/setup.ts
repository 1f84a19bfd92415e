/**
 * `mfa-env setup` as a plain function: whose keys sign the calls, who they belong to, which MFA
 * device to save, and the mfa_serial written into the config file.
 */
import { assertWritableProfileName } from '../session/credentials-file.js';
import { awsFiles, loadAllProfiles, profileNotFound, resolveProfileName, type AwsFiles, type ProfileSettings } from '../aws/profiles.js';
import { MfaEnvError } from '../errors.js';
import { maskKey } from '../secrets.js';
import { assertSerial } from '../mfa/validate.js';
import { longTermSource } from '../session/plan.js';
import { nextSteps } from './next-steps.js';

export interface SetupRequest {
  /** --profile, when given. */
  profile?: string;
  /** --serial, when given. */
  serial?: string;
  env: NodeJS.ProcessEnv;
  say: (message: string) => void;
}

/** Sets the profile up; resolves with the closing instructions for stdout. */
export async function setupProfile(request: SetupRequest): Promise<string> {
  const { env, say } = request;
  // Every flag is checked before any file or network access.
  const profile = resolveProfileName(request.profile, env);
  // mfa_serial goes into [profile NAME], which the JS SDK reads only for these characters.
  assertWritableProfileName(profile, request.profile !== undefined ? '--profile' : 'the profile from AWS_PROFILE');
  if (request.serial !== undefined) assertSerial(request.serial, '--serial');

  const files = awsFiles(env);
  const profiles = await loadAllProfiles(files);
  const serial = await pickDevice(profile, profiles, files, request);
  const { saveMfaSerial } = await import('../aws/config-file.js');
  const saved = await saveMfaSerial(profile, serial, files);
  if (!saved.changed) say(`mfa_serial of profile "${profile}" is already ${serial} (${saved.path} unchanged)`);
  else if (saved.previous !== undefined) say(`replaced mfa_serial ${saved.previous} of profile "${profile}"`);
  return nextSteps(profile, serial, saved.section, saved.path, env.MFA_ENV_SHELL);
}

/** The serial to save: the keys checked, the IAM user's devices listed, one chosen. */
async function pickDevice(profile: string, profiles: Record<string, ProfileSettings>, files: AwsFiles, request: SetupRequest): Promise<string> {
  const { env, say } = request;
  const keysProfile = longTermKeysProfile(profile, profiles);
  if (!profiles[profile] && keysProfile === profile) throw profileNotFound(profile, files, Object.keys(profiles));
  const settings = profiles[profile] ?? {};
  const { resolveSourceCredentials } = await import('../aws/credentials.js');
  const credentials = await resolveSourceCredentials(keysProfile, files);
  const target = { configProfile: profiles[profile] ? profile : keysProfile, region: settings.region || env.AWS_REGION || 'us-east-1', credentials, env };
  const { findMfaDevices } = await import('../aws/mfa-devices.js');
  const { identity, userName, label, devices, fidoCount: fido } = await findMfaDevices(target, keysProfile);
  say(`the keys of profile "${keysProfile}" (${maskKey(credentials.accessKeyId)}) work: ${identity.arn} in account ${identity.account}`);
  const { chooseDevice } = await import('./choose-device.js');
  const { assignDeviceHint } = await import('../aws/iam.js');
  if (fido > 0) say(`ignoring ${fido} FIDO security key${fido > 1 ? 's' : ''}: STS accepts only authenticator-app and hardware TOTP devices`);
  if (devices.length === 0) {
    throw new MfaEnvError(`${label} has no MFA device that STS can use${fido ? ' (only FIDO security keys)' : ''}`, assignDeviceHint(userName));
  }
  const { askOnTerminal } = await import('../mfa/prompt.js');
  const ask = (question: string) => askOnTerminal(question, 'Choose with --serial.');
  return chooseDevice({ devices, flag: request.serial, current: settings.mfa_serial, who: label, ask, say });
}

/**
 * Whose keys sign the calls, the way login finds them: [NAME-long-term], a role's or a
 * key-less profile's source_profile, or the profile itself.
 */
function longTermKeysProfile(profile: string, profiles: Record<string, ProfileSettings>): string {
  const longTerm = longTermSource(profile, profiles);
  if (longTerm) return longTerm;
  const settings = profiles[profile] ?? {};
  const ownKeys = settings.aws_access_key_id || settings.credential_process || settings.sso_session || settings.sso_start_url;
  if (settings.source_profile && (settings.role_arn || !ownKeys)) return settings.source_profile;
  return profile;
}
