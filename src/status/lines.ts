/** `mfa-env status` for people: one aligned `label  value` row per fact, and what to do when it expired. */
import type { StatusReport } from './report.js';

export function humanLines(report: StatusReport): string {
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
