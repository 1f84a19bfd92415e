import { Option } from 'clipanion';
import { MfaEnvCommand } from './base.js';

export class ConsoleCommand extends MfaEnvCommand {
  static override paths = [['console']];

  static override usage = MfaEnvCommand.Usage({
    description: 'sign in to the AWS console with the role session: open it in the browser, or print the URL',
    details: `
      Takes the role session of this shell (set by \`mfa-env login\`), else the cached session of the profile, else logs in (asking for the code as \`login\` does), and exchanges it at the AWS federation endpoint of its partition (\`getSigninToken\`; \`MFA_ENV_FEDERATION_URL\` overrides it) for a sign-in URL that opens the console of the session's region. The session goes to AWS in a POST body, never in a URL or on a command line.

      The URL opens with \`$BROWSER\` (a colon-separated list of commands; \`%s\` stands for the URL), else \`xdg-open\` (\`open\` on macOS). \`--print\` writes it to stdout instead; it signs in once, within 15 minutes, so treat it like a password.

      Only role sessions (AssumeRole) can sign in: AWS refuses GetSessionToken sessions there, so for those mfa-env says so before any network call, and names what works: a role profile, or the console's own sign-in with the IAM user's password and MFA.
    `,
    examples: [
      ['Open the console as the role this shell holds', '$0 console'],
      ['Open it for profile admin (cached session or a new login)', '$0 console --profile admin'],
      ['Print the sign-in URL, e.g. for another browser profile', '$0 console --profile admin --print'],
      ['Use a browser of your choice', 'BROWSER=firefox $0 console'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'a role profile in ~/.aws/config (default: this shell\'s session, $AWS_PROFILE, then "default")' });
  print = Option.Boolean('--print', false, { description: 'print the sign-in URL on stdout instead of opening a browser' });

  async run(): Promise<number> {
    const { consoleSignIn } = await import('../console/console.js');
    const result = await consoleSignIn({ profile: this.profile, print: this.print, env: this.context.env, say: (message) => this.say(message) });
    const { session } = result;
    const who = `${session.identityArn ?? `profile ${session.profile}`}, ${session.region}`;
    if (this.print) {
      this.out(`${result.url}\n`);
      this.say(`sign-in URL for the AWS console (${who}); it works once, within 15 minutes`);
    } else {
      this.say(`opened the AWS console (${who}) with ${result.openedWith}`);
    }
    return 0;
  }
}
