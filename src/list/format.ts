import type { ListEntry } from './report.js';

/** One block per profile, aligned labels; only the lines that have something to say. */
export function formatList(entries: ListEntry[]): string {
  if (entries.length === 0) return 'no profiles in the AWS config or credentials file; create one with `aws configure --profile NAME`\n';
  return entries.map(formatEntry).join('\n');
}

const FLOW_WORDS: Record<ListEntry['flow'], string> = {
  session: 'session token (GetSessionToken)',
  role: 'role (AssumeRole)',
  chain: 'role chain (AssumeRole, several hops)',
  none: 'none',
};

function formatEntry(entry: ListEntry): string {
  const rows: Array<[string, string]> = [['flow', FLOW_WORDS[entry.flow]]];
  for (const role of entry.roles) rows.push(['role', `${role.roleArn} (${role.profile})`]);
  rows.push(['mfa device', entry.mfaSerial ? `${entry.mfaSerial}${entry.mfaSerialProfile !== entry.profile ? ` (from ${entry.mfaSerialProfile})` : ''}` : 'none set (login looks it up)']);
  if (entry.source) rows.push(['source', entry.source]);
  if (entry.region) rows.push(['region', entry.region]);
  if (entry.keys) rows.push(['keys', entry.keys.replace('-', ' ')]);
  if (entry.session) rows.push(['cached', entry.session.secondsLeft > 0 ? `${entry.session.timeLeft} left (until ${entry.session.expiration})` : `expired ${entry.session.expiration}`]);
  if (entry.problem) rows.push(['problem', entry.problem]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${entry.profile}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
