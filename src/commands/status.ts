import { Option } from 'clipanion';
import { humanLines } from '../status/lines.js';
import { statusReport } from '../status/report.js';
import { verifyWithSts } from '../status/verify.js';
import { MfaEnvCommand } from './base.js';

export class StatusCommand extends MfaEnvCommand {
  static override paths = [['status']];

  static override usage = MfaEnvCommand.Usage({
    description: 'show the MFA session in this shell: profile, flow, expiry, time left',
    details: `
      Reads the session from the environment (MFA_ENV_PROFILE, MFA_ENV_EXPIRES, AWS_CREDENTIAL_EXPIRATION, AWS_ACCESS_KEY_ID) and the cache: the profile, the flow (session token, or role and its ARN), the expiry in UTC and local time, and the time left. The access key id is shown masked.

      Exit code 0 while the session is active; 1 when there is none, it has expired, it was not set by mfa-env, or \`--verify\` fails. \`--json\` prints one JSON object whose fields are listed in the README.
    `,
    examples: [
      ['Show the session', '$0 status'],
      ['For scripts', '$0 status --json'],
      ['Ask STS who the credentials belong to', '$0 status --verify'],
      ['Log in unless a session is active', '$0 status >/dev/null 2>&1 || $0 login'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'print a JSON object (fields in the README) instead of lines' });
  verify = Option.Boolean('--verify', false, { description: 'call STS GetCallerIdentity with the session and show the ARN' });

  async run(): Promise<number> {
    const env = this.context.env;
    const report = await statusReport(env);
    if (this.verify && report.active) await verifyWithSts(report, env, (message) => this.say(message));
    if (this.json) this.printJson(report);
    else this.show(humanLines(report));
    return report.active && report.problem === null ? 0 : 1;
  }
}
