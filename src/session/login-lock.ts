import { MfaEnvError } from '../errors.js';
import { ensureCacheDir } from '../store/cache-dir.js';
import { profileLockPath } from '../store/layout.js';
import { withLock } from '../store/lock.js';

function waitLimitMs(env: NodeJS.ProcessEnv): number {
  // Long enough for another login to be typed at its prompt; MFA_ENV_LOCK_WAIT (seconds) overrides.
  const seconds = Number(env.MFA_ENV_LOCK_WAIT ?? 300);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000;
}

/**
 * Runs `fn` holding the cross-process lock for `profile`, so parallel logins ask for one
 * code and make one STS call; the others wait and then find the session in the cache.
 */
export function withProfileLock<T>(profile: string, env: NodeJS.ProcessEnv, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  const waitMs = waitLimitMs(env);
  return withLock(
    profileLockPath(profile, ensureCacheDir()),
    {
      waitMs,
      pollMs: 100,
      onWait,
      timeout: () =>
        new MfaEnvError(
          `gave up waiting for another mfa-env login of profile "${profile}" after ${Math.round(waitMs / 1000)}s`,
          `Finish or cancel the other login (it may be waiting for its MFA code), then run this again.`,
        ),
    },
    fn,
  );
}
