import { Option } from 'clipanion';
import { assertWritableProfileName, checkWriteTarget, writeSessionProfile } from '../session/credentials-file.js';
import { awsFiles } from '../aws/profiles.js';
import { login, summary } from '../session/login.js';
import type { LoginPlan } from '../session/plan.js';
import { loginStatements } from '../session/variables.js';
import { resolveShell } from '../shells/index.js';
import { MfaEnvCommand } from './base.js';
import { forceOption, loginOption, loginRequest } from './login-options.js';

export class LoginCommand extends MfaEnvCommand {
  static override paths = [['login']];

  static override usage = MfaEnvCommand.Usage({
    description: 'get MFA session credentials and print shell code that sets them',
    details: `
      Reuses the cached session of the profile while it has more than 5 minutes left; otherwise asks for the MFA code (\`--token-code\`, the profile's \`mfa_process\`, or a prompt on the terminal) and calls STS: GetSessionToken for profiles with \`mfa_serial\`, AssumeRole for profiles with \`role_arn\`.

      stdout is shell code and nothing else (empty on failure); messages go to stderr. With the shell integration loaded, \`mfa-env login\` sets the variables in the current shell; without it, wrap it in \`eval\`.
    `,
    examples: [
      ['Log in with the default profile (shell integration loaded)', '$0 login'],
      ['Without the shell integration', 'eval "$($0 login --profile dev)"'],
      ['A role profile for one hour', '$0 login --profile admin --duration 1h'],
      ['fish', '$0 login --shell fish | source'],
      ['Read the code from stdin (it stays out of `ps`)', 'ykman oath accounts code --single aws | $0 login --token-code -'],
      ['Also write the session into [mfa] of ~/.aws/credentials (then `aws s3 ls --profile mfa`)', '$0 login --write-profile mfa'],
    ],
  });

  profile = loginOption('profile');
  duration = loginOption('duration');
  tokenCode = loginOption('tokenCode');
  force = forceOption();
  region = loginOption('region');
  roleArn = loginOption('roleArn');
  sessionName = loginOption('sessionName');
  externalId = loginOption('externalId');
  shell = Option.String('--shell,-s', { description: 'shell to print for: bash, zsh, fish, sh (default: the calling shell)' });
  writeProfile = Option.String('--write-profile', {
    description: 'also write the session into this profile of ~/.aws/credentials, for tools that read the file (never over long-term keys)',
  });

  async run(): Promise<number> {
    // Everything the user typed is checked before any file or network access.
    const shell = resolveShell(this.shell);
    if (this.writeProfile !== undefined) assertWritableProfileName(this.writeProfile);
    const request = await loginRequest(this, { context: this.context, say: (message) => this.say(message) });
    const files = awsFiles(this.context.env);
    // Without --write-profile, the [NAME-long-term] layout writes the session to [NAME].
    const writeTarget = (plan: LoginPlan) => this.writeProfile ?? plan.writeProfileDefault;
    const result = await login({
      ...request,
      checkPlan: async (plan, profiles) => {
        const target = writeTarget(plan);
        if (target !== undefined) await checkWriteTarget(target, plan, profiles, files);
      },
    });
    this.say(summary(result));
    // Written before anything reaches stdout: a failed write leaves stdout empty. A session from
    // the cache is written too, so the file catches up with it.
    const target = writeTarget(result.plan);
    if (target !== undefined) {
      const { changed } = await writeSessionProfile(target, result.session, files);
      this.say(`${changed ? 'wrote the session to' : 'the session is already in'} [${target}] of ${files.credentialsFile} (use it with --profile ${target})`);
    }
    this.out(loginStatements(result.session, shell));
    return 0;
  }
}
