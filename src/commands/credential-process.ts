import { MfaEnvError } from '../errors.js';
import { awsFiles, loadAllProfiles, resolveProfileName } from '../aws/profiles.js';
import { credentialProcessJson, selfReferenceError } from '../session/credential-process.js';
import { login } from '../session/login.js';
import { readProfilesSnapshot } from '../session/profiles-snapshot.js';
import { makePlan } from '../session/plan.js';
import { MfaEnvCommand } from './base.js';
import { loginOption, loginRequest, requiredLoginOption } from './login-options.js';

export class CredentialProcessCommand extends MfaEnvCommand {
  static override paths = [['credential-process']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print the MFA session as credential_process JSON, for the AWS CLI and SDKs',
    details: `
      Put it in a profile of its own in ~/.aws/config, next to the profile that holds your long-term keys and mfa_serial:

      \`\`\`
      [profile dev-mfa]
      credential_process = mfa-env credential-process --profile dev
      \`\`\`

      Then \`aws --profile dev-mfa …\`, the SDKs (\`AWS_PROFILE=dev-mfa\`) and IDEs use the MFA session of profile dev. stdout is exactly the JSON (\`Version\` 1, \`AccessKeyId\`, \`SecretAccessKey\`, \`SessionToken\`, \`Expiration\`); the cached session is reused while it has more than 5 minutes left. When a new code is needed it is asked on the terminal; without one (an IDE, cron) this fails and says to run \`mfa-env login --profile dev\` first.

      \`--profile\` is required, and must not be the profile that holds the credential_process line itself: that would run mfa-env for its own keys, forever.
    `,
    examples: [
      ['The JSON for profile dev', '$0 credential-process --profile dev'],
      ['In ~/.aws/config', 'credential_process = mfa-env credential-process --profile dev'],
    ],
  });

  profile = requiredLoginOption('profile', 'the profile with mfa_serial (or role_arn) and long-term keys; not the one holding this credential_process');
  duration = loginOption('duration');
  region = loginOption('region');
  roleArn = loginOption('roleArn');
  sessionName = loginOption('sessionName');
  externalId = loginOption('externalId');

  async run(): Promise<number> {
    const env = this.context.env;
    const profile = resolveProfileName(this.profile, env);

    await this.refuseSelfReference(profile);

    try {
      const flags = { profile, duration: this.duration, region: this.region, roleArn: this.roleArn, sessionName: this.sessionName, externalId: this.externalId };
      const request = await loginRequest(flags, { context: this.context, say: (message) => this.say(message) });
      const { session } = await login(request);
      // No trailing newline: the output is one JSON document, as the AWS CLI's own export prints it.
      this.out(credentialProcessJson(session));
      return 0;
    } catch (error) {
      // prompt.js is loaded already when the prompt failed; importing it here keeps it off the cache path.
      const { NoTerminalError } = await import('../mfa/prompt.js');
      if (error instanceof NoTerminalError) {
        throw new MfaEnvError(
          `profile "${profile}" has no cached MFA session, and there is no terminal to ask for the MFA code on`,
          `Run \`mfa-env login --profile ${profile}\` in a terminal first: credential-process then uses its cached session until it expires. Or set, in the profile, mfa_process (a command that prints the code) or mfa_prompt = pinentry|zenity|kdialog|osascript (a program that asks for it without a terminal).`,
        );
      }
      throw error;
    }
  }

  /** A profile whose keys come from `mfa-env credential-process` for itself: explained before anything runs. */
  private async refuseSelfReference(profile: string): Promise<void> {
    const env = this.context.env;
    const files = awsFiles(env);
    // The SDKs run this for every client: the loader's snapshot while the AWS files are unchanged.
    const profiles = readProfilesSnapshot(files) ?? (await loadAllProfiles(files));
    let credentialsProfile: string;
    try {
      credentialsProfile = makePlan(profile, profiles, files, { duration: this.duration, env, roleArn: this.roleArn }).credentialsProfile;
    } catch {
      return; // login() reports what is wrong with the profile
    }
    const loop = selfReferenceError(profile, credentialsProfile, profiles);
    if (loop) throw loop;
  }
}
