import { Option } from 'clipanion';
import { resolveProfileName } from '../aws/profiles.js';
import { removeAdHocSessions } from '../session/ad-hoc-entries.js';
import { removeCachedSession } from '../session/cache.js';
import { clearStatements } from '../session/variables.js';
import { resolveShell, SHELL_NAMES } from '../shells/index.js';
import { MfaEnvCommand } from './base.js';

export class ClearCommand extends MfaEnvCommand {
  static override paths = [['clear']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print shell code that unsets every variable login sets',
    details: `
      Unsets the session variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, MFA_ENV_PROFILE, MFA_ENV_EXPIRES, MFA_ENV_ROLE_ARN), AWS_REGION and AWS_DEFAULT_REGION, and the variables login unsets. \`--forget\` also deletes the cached session of the current profile, so the next login asks for a code.
    `,
    examples: [
      ['Clear the session (shell integration loaded)', '$0 clear'],
      ['Without the shell integration', 'eval "$($0 clear)"'],
      ['Also forget the cached session', '$0 clear --forget'],
    ],
  });

  shell = Option.String('--shell,-s', { description: `shell to print for: ${SHELL_NAMES.join(', ')} (default: the calling shell)` });
  forget = Option.Boolean('--forget', false, { description: 'also delete the cached session of the current profile' });
  profile = Option.String('--profile,-p', { description: 'with --forget: the profile whose cached session to delete (default: the current session\'s)' });

  async run(): Promise<number> {
    const shell = resolveShell(this.shell);
    if (this.forget) {
      const env = this.context.env;
      // The session being cleared is the one to forget, whatever AWS_PROFILE says.
      const profile = this.profile ?? env.MFA_ENV_PROFILE ?? resolveProfileName(undefined, env);
      // Its ad hoc role sessions too: each of them would serve a login without a code.
      const removed = Number(removeCachedSession(profile)) + removeAdHocSessions(profile);
      this.say(removed > 0 ? `forgot the cached session${removed > 1 ? 's' : ''} of profile ${profile}` : `no cached session of profile ${profile} to forget`);
    }
    this.out(clearStatements(shell));
    return 0;
  }
}
