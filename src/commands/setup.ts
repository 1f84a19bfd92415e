import { Option } from 'clipanion';
import { assertWritableProfileName } from '../aws/credentials-file.js';
import { awsFiles, loadAllProfiles, profileNotFound, resolveProfileName, type ProfileSettings } from '../aws/profiles.js';
import { MfaEnvError } from '../errors.js';
import { maskKey } from '../secrets.js';
import { assertSerial } from '../mfa/validate.js';
import { longTermSource } from '../session/plan.js';
import { MfaEnvCommand } from './base.js';

export class SetupCommand extends MfaEnvCommand {
  static override paths = [['setup']];

  static override usage = MfaEnvCommand.Usage({
    description: 'find your MFA device and save it as mfa_serial of a profile',
    details: `
      With the profile's long-term keys, checks who they belong to (STS GetCallerIdentity) and lists the IAM user's MFA devices (iam:ListMFADevices). One device is used as it is; with several you pick one on the terminal, or name it with \`--serial\`. The device's ARN is saved as \`mfa_serial\` in the profile's section of ~/.aws/config (\`[default]\` or \`[profile NAME]\`, created when missing); every other line of the file stays as it was.

      Progress goes to stderr; the closing instructions (how to load the shell integration and log in) go to stdout.
    `,
    examples: [
      ['Set up the default profile', '$0 setup'],
      ['Set up another profile', '$0 setup --profile work'],
      ['Pick one of several devices without a prompt', '$0 setup --serial arn:aws:iam::123456789012:mfa/alice'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'profile to set up (default: $AWS_PROFILE, then "default")' });
  serial = Option.String('--serial', { description: 'the MFA device ARN to save, when the IAM user has several' });

  async run(): Promise<number> {
    const env = this.context.env;
    // Every flag is checked before any file or network access.
    const profile = resolveProfileName(this.profile, env);
    // mfa_serial goes into [profile NAME], which the JS SDK reads only for these characters.
    assertWritableProfileName(profile, this.profile !== undefined ? '--profile' : 'the profile from AWS_PROFILE');
    if (this.serial !== undefined) assertSerial(this.serial, '--serial');

    const files = awsFiles(env);
    const profiles = await loadAllProfiles(files);
    const keysProfile = longTermKeysProfile(profile, profiles);
    if (!profiles[profile] && keysProfile === profile) throw profileNotFound(profile, files, Object.keys(profiles));
    const settings = profiles[profile] ?? {};

    const { resolveSourceCredentials } = await import('../aws/credentials.js');
    const credentials = await resolveSourceCredentials(keysProfile, files);
    const target = {
      configProfile: profiles[profile] ? profile : keysProfile,
      region: settings.region || env.AWS_REGION || 'us-east-1',
      credentials,
      env,
    };
    const { findMfaDevices } = await import('../aws/mfa-devices.js');
    const { identity, userName, label, devices, fidoCount: fido } = await findMfaDevices(target, keysProfile);
    this.say(`the keys of profile "${keysProfile}" (${maskKey(credentials.accessKeyId)}) work: ${identity.arn} in account ${identity.account}`);
    const { assignDeviceHint, chooseDevice } = await import('../setup/choose-device.js');
    if (fido > 0) this.say(`ignoring ${fido} FIDO security key${fido > 1 ? 's' : ''}: STS accepts only authenticator-app and hardware TOTP devices`);
    if (devices.length === 0) {
      throw new MfaEnvError(`${label} has no MFA device that STS can use${fido ? ' (only FIDO security keys)' : ''}`, assignDeviceHint(userName));
    }

    const { askOnTerminal } = await import('../mfa/prompt.js');
    const serial = await chooseDevice({
      devices,
      flag: this.serial,
      current: settings.mfa_serial,
      who: label,
      ask: (question) => askOnTerminal(question, 'Choose with --serial.'),
      say: (message) => this.say(message),
    });

    const { saveMfaSerial } = await import('../aws/config-file.js');
    const saved = await saveMfaSerial(profile, serial, files);
    if (!saved.changed) this.say(`mfa_serial of profile "${profile}" is already ${serial} (${saved.path} unchanged)`);
    else if (saved.previous !== undefined) this.say(`replaced mfa_serial ${saved.previous} of profile "${profile}"`);
    this.context.stdout.write(nextSteps(profile, serial, saved.section, saved.path, env.MFA_ENV_SHELL));
    return 0;
  }
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

function nextSteps(profile: string, serial: string, section: string, path: string, integratedShell: string | undefined): string {
  const login = profile === 'default' ? 'mfa-env login' : `mfa-env login --profile ${profile}`;
  const saved = `mfa_serial = ${serial} is saved in ${section} of ${path}.`;
  // Run through the shell function (which passes MFA_ENV_SHELL): nothing more to set up.
  if (integratedShell) return `${saved}\nThe ${integratedShell} integration is loaded; log in with: ${login}\n`;
  return [
    saved,
    '',
    'Next, load the shell integration (once; add the line to your shell\'s startup file):',
    '  bash  ~/.bashrc                   eval "$(mfa-env init bash)"',
    '  zsh   ~/.zshrc                    eval "$(mfa-env init zsh)"',
    '  fish  ~/.config/fish/config.fish  mfa-env init fish | source',
    '',
    `Then, in a new shell: ${login}`,
    '',
  ].join('\n');
}
