/**
 * The profile mfa-env would log in with: it exists, names a valid MFA device, and leads to
 * long-term keys (GetSessionToken refuses session credentials, and a credential_process that
 * runs mfa-env for the same profile would never return).
 */
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import { maskKey } from '../secrets.js';
import { SERIAL_PATTERN } from '../mfa/validate.js';
import { mfaEnvProcessProfile, selfReferenceError } from '../session/credential-process.js';
import { makePlan, type LoginPlan } from '../session/plan.js';
import { fail, pass, warn, type CheckResult } from './check.js';

type Profiles = Record<string, ProfileSettings>;

const section = (name: string) => (name === 'default' ? '[default]' : `[profile ${name}]`);

/**
 * The plan without mfa_serial validation: a bad serial is the mfa-serial check's finding, and
 * must not hide what the other checks can still say about the profile.
 */
export function planIgnoringSerial(profile: string, profiles: Profiles, files: AwsFiles, env: NodeJS.ProcessEnv): LoginPlan {
  const lenient: Profiles = {};
  // A set serial stays set (as a valid placeholder): a profile with mfa_serial may keep its keys in the OS keyring.
  for (const [name, settings] of Object.entries(profiles)) lenient[name] = { ...settings, mfa_serial: settings.mfa_serial === undefined ? undefined : 'arn:aws:iam::000000000000:mfa/placeholder' };
  return makePlan(profile, lenient, files, { env });
}

export function checkProfile(profile: string, profiles: Profiles, files: AwsFiles, env: NodeJS.ProcessEnv): { result: CheckResult; plan?: LoginPlan } {
  const id = 'profile';
  try {
    const plan = planIgnoringSerial(profile, profiles, files, env);
    const flow = plan.kind === 'role' ? `AssumeRole ${plan.roleArn}` : 'GetSessionToken';
    const keys = plan.credentialsProfile === profile ? '' : `, keys from profile "${plan.credentialsProfile}"`;
    return { result: pass(id, `profile "${profile}": ${flow}${keys}`), plan };
  } catch (error) {
    if (!profiles[profile]) {
      const known = Object.keys(profiles).sort();
      return {
        result: fail(id, `profile "${profile}" is not in ${files.configFile} or ${files.credentialsFile}${known.length ? ` (known: ${known.join(', ')})` : ''}`,
          known.length ? `pick one with --profile (or AWS_PROFILE), or run \`aws configure --profile ${profile}\`` : `run \`aws configure --profile ${profile}\`, then \`mfa-env setup --profile ${profile}\``),
      };
    }
    const { message, hint } = error as { message: string; hint?: string };
    return { result: fail(id, message, hint) };
  }
}

export function checkMfaSerial(profile: string, profiles: Profiles, plan?: LoginPlan): CheckResult {
  const id = 'mfa-serial';
  // The profile's own, else its source profile's, else the one with the keys (as login looks).
  const holders = [profile, profiles[profile]?.source_profile, plan?.credentialsProfile].filter((name): name is string => name !== undefined);
  const holder = holders.find((name) => profiles[name]?.mfa_serial !== undefined);
  const serial = holder === undefined ? undefined : profiles[holder]!.mfa_serial!;
  const where = section(holder ?? profile);
  if (serial === undefined) {
    return warn(id, `profile "${profile}" has no mfa_serial: every login looks the device up with iam:ListMFADevices`, `mfa-env setup --profile ${profile} (writes mfa_serial into ${section(profile)})`);
  }
  if (!SERIAL_PATTERN.test(serial)) {
    return fail(id, `mfa_serial ${JSON.stringify(serial)} in ${where} is not a valid MFA serial (9-256 of letters, digits and +=/:,.@-)`, `set it to the device ARN, e.g. arn:aws:iam::123456789012:mfa/alice (\`mfa-env setup --profile ${profile}\` finds it)`);
  }
  if (/^arn:aws[\w-]*:iam::\d{12}:(user|role)\//.test(serial)) {
    return fail(id, `mfa_serial ${serial} in ${where} is a ${serial.includes(':user/') ? 'user' : 'role'} ARN, not an MFA device ARN`, `use the device ARN (…:mfa/NAME); \`mfa-env setup --profile ${profile}\` finds it`);
  }
  return pass(id, `mfa_serial ${serial} (${where})`);
}

export function checkLongTermKeys(profile: string, plan: LoginPlan, profiles: Profiles): CheckResult {
  const id = 'long-term-keys';
  const name = plan.credentialsProfile;
  const settings = profiles[name] ?? {};
  const needsLongTerm = plan.kind === 'session';
  const loop = selfReferenceError(profile, name, profiles);
  if (loop) return fail(id, loop.message, 'keep the keys in the profile and move credential_process to a profile of its own (see `mfa-env credential-process --help`)');
  if (settings.aws_access_key_id || settings.aws_secret_access_key) {
    if (!settings.aws_access_key_id || !settings.aws_secret_access_key) {
      const missing = settings.aws_access_key_id ? 'aws_secret_access_key' : 'aws_access_key_id';
      return fail(id, `${section(name)} has no ${missing}`, `add it (\`aws configure --profile ${name}\`)`);
    }
    const key = settings.aws_access_key_id;
    if (settings.aws_session_token || key.startsWith('ASIA')) {
      const message = `${section(name)} holds session credentials (${maskKey(key)}), not an IAM user's long-term keys`;
      return needsLongTerm
        ? fail(id, `${message}: GetSessionToken refuses them`, `put the long-term keys (AKIA…) in ${section(name)}`)
        : warn(id, `${message}: AssumeRole works only until they expire`, `put the long-term keys (AKIA…) in ${section(name)}`);
    }
    return pass(id, `long-term key ${maskKey(key)} in ${section(name)}`);
  }
  if (settings.credential_process) {
    const target = mfaEnvProcessProfile(settings.credential_process);
    if (target !== undefined && needsLongTerm) {
      return fail(id, `${section(name)} gets its keys from mfa-env credential-process (an MFA session): GetSessionToken refuses session credentials`, `give ${section(name)} long-term keys`);
    }
    return pass(id, `${section(name)} gets its keys from credential_process (not run by doctor)`);
  }
  if (settings.sso_session || settings.sso_start_url) {
    return needsLongTerm
      ? fail(id, `${section(name)} uses IAM Identity Center (SSO), whose credentials are sessions: GetSessionToken refuses them`, 'use an IAM user\'s access keys for GetSessionToken, or a role profile')
      : pass(id, `${section(name)} gets its credentials from IAM Identity Center`);
  }
  return fail(id, `${section(name)} has no aws_access_key_id / aws_secret_access_key`, `run \`aws configure --profile ${name}\``);
}

/** Every profile whose credential_process runs mfa-env: it must name a profile that does not lead back to it. */
export function checkCredentialProcessLoops(profiles: Profiles, files: AwsFiles, env: NodeJS.ProcessEnv): CheckResult {
  const id = 'credential-process';
  const users: string[] = [];
  const problems: string[] = [];
  for (const [holder, settings] of Object.entries(profiles)) {
    const target = settings.credential_process ? mfaEnvProcessProfile(settings.credential_process) : undefined;
    if (target === undefined) continue;
    users.push(`${holder} → ${target}`);
    if (target === holder) {
      problems.push(`profile "${holder}" runs mfa-env credential-process for itself`);
      continue;
    }
    if (!profiles[target]) {
      problems.push(`profile "${holder}" asks mfa-env for profile "${target}", which does not exist`);
      continue;
    }
    try {
      const plan = planIgnoringSerial(target, profiles, files, env);
      if (selfReferenceError(target, plan.credentialsProfile, profiles)) {
        problems.push(`profile "${target}" gets its keys from "${plan.credentialsProfile}", whose credential_process asks mfa-env for "${target}" again`);
      }
    } catch {
      // The target's own problems are reported when it is checked with --profile.
    }
  }
  if (problems.length) {
    return fail(id, `${problems.join('; ')}: that would recurse forever`, 'keep long-term keys in the profile mfa-env logs in with, and put credential_process = mfa-env credential-process --profile NAME in a separate profile');
  }
  return users.length ? pass(id, `mfa-env credential-process used by ${users.join(', ')}`) : pass(id, 'no profile runs mfa-env credential-process');
}
