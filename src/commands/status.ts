import { Option } from 'clipanion';
import { MfaEnvError } from '../errors.js';
import { statusReport, type StatusReport } from '../status/report.js';
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
    if (this.verify && report.active) await this.verifyWithSts(report);
    this.out(this.json ? `${JSON.stringify(report, null, 2)}\n` : humanLines(report));
    return report.active && report.problem === null ? 0 : 1;
  }

  private async verifyWithSts(report: StatusReport): Promise<void> {
    const env = this.context.env;
    const { getCallerIdentity } = await import('../aws/sts.js');
    try {
      const identity = await getCallerIdentity(
        {
          configProfile: report.profile!,
          region: report.region ?? (env.AWS_REGION || 'us-east-1'),
          credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, sessionToken: env.AWS_SESSION_TOKEN },
          env,
        },
        report.profile!,
      );
      report.verified = { arn: identity.arn ?? null, account: identity.account ?? null, userId: identity.userId ?? null };
      if (identity.arn) report.identityArn = identity.arn;
    } catch (error) {
      report.problem = `verification failed: ${error instanceof MfaEnvError ? error.message : String(error)}`;
      this.say(report.problem);
    }
  }
}

function humanLines(report: StatusReport): string {
  if (!report.active && report.profile === null && report.accessKeyId === null) {
    return 'no MFA session in this shell; start one with `mfa-env login`\n';
  }
  const rows: Array<[string, string]> = [];
  if (report.profile !== null) rows.push(['profile', report.profile]);
  if (report.flow === 'role') rows.push(['flow', `role ${report.roleArn ?? '(role_arn unknown)'} (AssumeRole)`]);
  else if (report.flow === 'session-token') rows.push(['flow', 'session token (GetSessionToken)']);
  if (report.identityArn !== null) rows.push(['identity', `${report.identityArn}${report.verified ? ' (verified with STS)' : ''}`]);
  if (report.accessKeyId !== null) rows.push(['access key', report.accessKeyId]);
  if (report.region !== null) rows.push(['region', report.region]);
  if (report.expiration !== null) {
    rows.push(['expires', `${report.expiration.replace('T', ' ').replace('Z', ' UTC')} (local ${localTime(report.expiresEpoch! * 1000, report.expirationLocal!)})`]);
    rows.push(['time left', report.timeLeft!]);
  }
  if (report.problem !== null) rows.push(['problem', report.problem]);
  const width = Math.max(...rows.map(([label]) => label.length));
  let text = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
  if (report.expired) text += `\nrun \`mfa-env login${report.profile ? ` --profile ${report.profile}` : ''}\` for a new session`;
  return `${text}\n`;
}

/**
 * `2031-01-01 01:00:00 GMT+1`, `… GMT+5:30`, `… UTC`: the local ISO time and its offset, written
 * as Intl's en-US short zone name writes it outside the US. Not Intl itself: its first use
 * loads ICU's locale data, ~10 ms of every `status` (scripts run `mfa-env status || …`).
 */
function localTime(ms: number, localIso: string): string {
  const offset = -new Date(ms).getTimezoneOffset();
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  const zone = offset === 0 ? 'UTC' : `GMT${offset > 0 ? '+' : '-'}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
  return `${localIso.slice(0, 19).replace('T', ' ')} ${zone}`;
}
