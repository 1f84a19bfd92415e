/** A profile's cached session as `list` shows it: when it ends and how long it has. */
// The one line that knows where the cache module lives (it may move to src/store).
import { readEntry } from '../session/cache.js';

export interface CachedSessionInfo {
  kind: 'session' | 'role';
  /** ISO-8601 UTC. */
  expiration: string;
  /** Seconds left; 0 when expired. */
  secondsLeft: number;
  /** `11h59m`, `42m`, `expired`. */
  timeLeft: string;
}

export function cachedSessionOf(profile: string, now: number, warn: (message: string) => void = () => {}): CachedSessionInfo | null {
  const entry = readEntry(profile, warn);
  if (!entry) return null;
  const left = Math.max(0, Math.floor((Date.parse(entry.session.expiration) - now) / 1000));
  const minutes = Math.floor(left / 60);
  const timeLeft = left === 0 ? 'expired' : minutes >= 60 ? `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
  // Only these fields: the entry's keys, secret and token never leave the cache.
  return { kind: entry.session.kind, expiration: entry.session.expiration, secondsLeft: left, timeLeft };
}
