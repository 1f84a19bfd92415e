import { UsageError } from '../errors.js';

/** STS limits per flow, in seconds (GetSessionToken and AssumeRole API references). */
export const DURATION_LIMITS = {
  session: { min: 900, max: 129_600, default: 43_200 },
  role: { min: 900, max: 43_200, default: 3_600 },
} as const;

/** AWS caps a role assumed with session credentials (role chaining) at one hour. */
export const CHAINED_ROLE_MAX_SECONDS = 3_600;

const UNIT_SECONDS = { h: 3600, m: 60, s: 1 } as const;

/**
 * Parses `3600`, `90m`, `12h`, `1h30m`, `1h30m15s` into seconds.
 * Returns undefined for anything else so the caller can name the source of the bad value.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d{1,6})h)?(?:(\d{1,7})m)?(?:(\d{1,9})s)?$/.exec(trimmed);
  if (!match || trimmed === '') return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  return Number(h) * UNIT_SECONDS.h + Number(m) * UNIT_SECONDS.m + Number(s) * UNIT_SECONDS.s;
}

/** `43200` → `12h`, `5400` → `1h30m`: how a duration is shown back to the user. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}

/**
 * The duration to request, checked against the flow's range before any network call.
 * `source` names where the value came from, so the error points at the right place to fix.
 */
export function resolveDuration(
  kind: keyof typeof DURATION_LIMITS,
  value: string | undefined,
  source: string,
): number {
  const limits = DURATION_LIMITS[kind];
  if (value === undefined) return limits.default;
  const seconds = parseDuration(value);
  const api = kind === 'session' ? 'GetSessionToken' : 'AssumeRole';
  if (seconds === undefined) {
    throw new UsageError(
      `invalid duration "${value}" (${source})`,
      'Write it as seconds (3600) or with units: 90m, 12h, 1h30m.',
    );
  }
  if (seconds < limits.min || seconds > limits.max) {
    throw new UsageError(
      `duration ${formatDuration(seconds)} (${source}) is outside what ${api} allows: ${formatDuration(limits.min)} to ${formatDuration(limits.max)}`,
      `Choose a duration between ${limits.min} and ${limits.max} seconds, e.g. --duration ${formatDuration(limits.default)}.`,
    );
  }
  return seconds;
}
