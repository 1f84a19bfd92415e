/** One line of `mfa-env doctor`: a verdict, what was found, and how to fix it. */
export type Verdict = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** Short stable name of the check, e.g. `credentials-file`. */
  id: string;
  verdict: Verdict;
  message: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

export const pass = (id: string, message: string): CheckResult => ({ id, verdict: 'pass', message });
export const warn = (id: string, message: string, fix?: string): CheckResult => ({ id, verdict: 'warn', message, fix });
export const fail = (id: string, message: string, fix?: string): CheckResult => ({ id, verdict: 'fail', message, fix });

/** `fail  credentials-file: … is readable by other users (mode 644) — fix: chmod 600 '…'` */
export function formatResult(result: CheckResult): string {
  const fix = result.fix && result.verdict !== 'pass' ? ` — fix: ${result.fix}` : '';
  return `${result.verdict}  ${result.id}: ${result.message.replace(/\n/g, ' ')}${fix.replace(/\n/g, ' ')}`;
}

/** A path in single quotes, for fixes the user pastes into a shell. */
export function quotePath(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}
