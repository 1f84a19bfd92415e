import { formatTimeLeft } from '../session/session.js';
import { visibleText } from '../stdio.js';

/**
 * The prompt segment, computed the way shell/mfa-env.{bash,zsh,fish} compute it, for prompt
 * frameworks that run `mfa-env prompt` (starship, powerlevel10k). Keep the two in step: the
 * shell tests compare them byte for byte (a profile name with control characters is the one
 * difference: shown escaped here, by visibleText).
 */
export type SegmentLevel = 'ok' | 'low' | 'expired';

export interface Segment {
  /** `PROFILE 11h59m`, `PROFILE 42m`, `PROFILE expired`. */
  text: string;
  level: SegmentLevel;
}

/** Under this many seconds left the segment turns yellow. */
export const LOW_SECONDS = 15 * 60;

const SGR: Record<SegmentLevel, string | undefined> = { ok: undefined, low: '33', expired: '31' };

/** The segment of the session in `env` at `nowSeconds`, or undefined without one. */
export function sessionSegment(env: NodeJS.ProcessEnv, nowSeconds: number): Segment | undefined {
  const expires = env.MFA_ENV_EXPIRES ?? '';
  // The same gate as the shells: digits only, at most 12.
  if (!/^[0-9]{1,12}$/.test(expires)) return undefined;
  const left = Number(expires) - nowSeconds;
  // The name goes to the terminal with every prompt: its control characters written visibly,
  // so a profile named with ESC sequences cannot retitle or clear it (as in list and doctor).
  const prefix = env.MFA_ENV_PROFILE ? `${visibleText(env.MFA_ENV_PROFILE)} ` : '';
  if (left <= 0) return { text: `${prefix}expired`, level: 'expired' };
  return { text: `${prefix}${formatTimeLeft(left * 1000)}`, level: left < LOW_SECONDS ? 'low' : 'ok' };
}

/** The segment with ANSI colours (none for `ok`, none at all when `color` is false). */
export function paintSegment(segment: Segment, color: boolean): string {
  const sgr = SGR[segment.level];
  return color && sgr ? `\u001b[${sgr}m${segment.text}\u001b[0m` : segment.text;
}
