import { filesystemFault, MfaEnvError } from '../errors.js';
import { CacheUnavailableError, ensureCacheDir } from '../store/cache-dir.js';
import { profileLockPath, profileOfKey, type EntryKey } from '../store/layout.js';
import { acquireLock } from '../store/lock.js';

function waitLimitMs(env: NodeJS.ProcessEnv): number {
  // Long enough for another login to be typed at its prompt; MFA_ENV_LOCK_WAIT (seconds) overrides.
  const seconds = Number(env.MFA_ENV_LOCK_WAIT ?? 300);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000;
}

/**
 * Runs `fn` holding the cross-process lock of `key` (a profile, or an ad hoc role of it), so
 * parallel logins ask for one code and make one STS call; the others wait and then find the
 * session in the cache.
 * A lock that cannot be made because of the machine (the cache dir not writable, a read-only
 * or full disk) is no reason to fail the login: `fn` runs without it, and the cache write
 * that follows says what is wrong.
 */
export async function withProfileLock<T>(key: EntryKey, env: NodeJS.ProcessEnv, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  const waitMs = waitLimitMs(env);
  const profile = profileOfKey(key);
  let release: () => Promise<void>;
  try {
    release = await acquireLock(profileLockPath(key, ensureCacheDir()), {
      waitMs,
      pollMs: 100,
      onWait,
      timeout: () =>
        new MfaEnvError(
          `gave up waiting for another mfa-env login of profile "${profile}" after ${Math.round(waitMs / 1000)}s`,
          `Finish or cancel the other login (it may be waiting for its MFA code), then run this again.`,
        ),
    });
  } catch (error) {
    if (error instanceof CacheUnavailableError || filesystemFault(error)) return fn();
    throw error;
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
