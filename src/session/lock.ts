import * as fs from 'node:fs';
import { MfaEnvError } from '../errors.js';
import { ensureCacheDir } from './cache-dir.js';
import { entryPath } from './cache.js';

/** How long a holder may stop refreshing its lock before others treat it as dead (SIGKILL, crash). */
const STALE_MS = 10_000;
const POLL_MS = 100;

function waitLimitMs(env: NodeJS.ProcessEnv): number {
  // Long enough for another login to be typed at its prompt; MFA_ENV_LOCK_WAIT (seconds) overrides.
  const seconds = Number(env.MFA_ENV_LOCK_WAIT ?? 300);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000;
}

/**
 * proper-lockfile's mkdir takes the umask's mode (0777 under umask 000); ours is 0700 always.
 * Made when a lock is taken: spreading `fs` reads fs.promises and the stream classes, which
 * loads ~25 more Node modules, and a login served from the cache takes no lock.
 */
function privateMkdirFs() {
  return {
    ...fs,
    mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: 0o700 }, callback),
  };
}

/**
 * Runs `fn` holding a lock on `path` that is only ever held for a read-modify-write of one
 * small file (milliseconds): waiters retry quickly, and a holder killed mid-way goes stale
 * after STALE_MS like the profile lock.
 */
export async function withShortLock<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: STALE_MS,
    update: STALE_MS / 4,
    lockfilePath: `${path}.lock`,
    fs: privateMkdirFs(),
    retries: { retries: Math.ceil((STALE_MS * 2) / 20), minTimeout: 5, maxTimeout: 20, factor: 1.2 },
    onCompromised: () => {},
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

/**
 * Runs `fn` holding the cross-process lock for `profile`, so parallel logins ask for one
 * code and make one STS call; the others wait and then find the session in the cache.
 * proper-lockfile is an mkdir lock whose holder refreshes its mtime: a killed holder goes
 * stale after STALE_MS and the next waiter takes over.
 */
export async function withProfileLock<T>(
  profile: string,
  env: NodeJS.ProcessEnv,
  onWait: () => void,
  fn: () => Promise<T>,
): Promise<T> {
  ensureCacheDir();
  const { default: lockfile } = await import('proper-lockfile');
  const target = entryPath(profile);
  const options = {
    realpath: false,
    stale: STALE_MS,
    update: STALE_MS / 4,
    lockfilePath: `${target}.lock`,
    fs: privateMkdirFs(),
  };
  const deadline = Date.now() + waitLimitMs(env);
  let announced = false;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(target, {
        ...options,
        // A compromised lock (dir removed under us) must not crash the process from a timer.
        onCompromised: () => {},
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (!announced) {
        onWait();
        announced = true;
      }
      if (Date.now() >= deadline) {
        throw new MfaEnvError(
          `gave up waiting for another mfa-env login of profile "${profile}" after ${Math.round(waitLimitMs(env) / 1000)}s`,
          `Finish or cancel the other login (it may be waiting for its MFA code), then run this again.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
