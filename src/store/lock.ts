import * as fs from 'node:fs';
import { MfaEnvError } from '../errors.js';

/**
 * The one lock of mfa-env: a directory at `lockPath` (mkdir is atomic) whose holder refreshes
 * its mtime every STALE_MS / 4, so a holder killed mid-way (SIGKILL, crash) goes stale and the
 * next waiter takes over. Every lock in the code goes through withLock.
 *
 * proper-lockfile stays underneath: it does the mkdir, the refresh timer and the takeover of a
 * lock whose mtime is older than STALE_MS, and it is well tried. What it gets wrong is a
 * future mtime (left by a holder that died before the clock was set back): it is never stale
 * by its rule, so the lock would block until the clock catches up. We add our own rule on
 * top, one that trusts no clock: a lock dir whose mtime has not moved for STALE_MS of our own
 * monotonic time has no live holder, whatever that mtime says.
 */

/** How long a holder may stop refreshing its lock before others treat it as dead. */
export const STALE_MS = 10_000;

export interface LockWait {
  /** Give up after this long. */
  waitMs: number;
  /** How often to try again. */
  pollMs: number;
  /** Called once, the first time the lock is found held. */
  onWait?: () => void;
  /** The error to throw when waitMs has passed. */
  timeout: () => Error;
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

/** Watches a held lock dir: true once its mtime (or identity) has stood still for STALE_MS. */
function stillnessWatcher(lockPath: string): () => boolean {
  let seen = '';
  let since = 0;
  return () => {
    const stat = fs.statSync(lockPath, { throwIfNoEntry: false });
    if (!stat) return false;
    const key = `${stat.ino}:${stat.mtimeMs}`;
    const now = performance.now();
    if (key !== seen) {
      seen = key;
      since = now;
      return false;
    }
    return now - since >= STALE_MS;
  };
}

type Release = () => Promise<void>;

/** One attempt: the release function, or undefined when someone else holds the lock. */
async function tryLock(lockPath: string): Promise<Release | undefined> {
  const { default: lockfile } = await import('proper-lockfile');
  try {
    return await lockfile.lock(lockPath, {
      realpath: false,
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: STALE_MS / 4,
      fs: privateMkdirFs(),
      // A compromised lock (dir removed under us) must not crash the process from a timer.
      onCompromised: () => {},
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw error;
  }
}

/** Takes the lock at `lockPath` (its parent dir must exist), waiting as `wait` says. */
export async function acquireLock(lockPath: string, wait: LockWait): Promise<Release> {
  const deadline = performance.now() + wait.waitMs;
  const isAbandoned = stillnessWatcher(lockPath);
  let announced = false;
  for (;;) {
    const release = await tryLock(lockPath);
    if (release) return release;
    if (isAbandoned()) {
      fs.rmSync(lockPath, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      wait.onWait?.();
      announced = true;
    }
    if (performance.now() >= deadline) throw wait.timeout();
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

/** Runs `fn` holding the lock at `lockPath`. */
export async function withLock<T>(lockPath: string, wait: LockWait, fn: () => T | Promise<T>): Promise<T> {
  const release = await acquireLock(lockPath, wait);
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

/**
 * A lock only ever held for a read-modify-write of one small file (milliseconds): waiters
 * retry quickly; a dead holder's lock is taken over after STALE_MS, so the wait is bounded.
 */
export function withShortLock<T>(lockPath: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  const waitMs = STALE_MS * 2 + 5_000;
  return withLock(
    lockPath,
    {
      waitMs,
      pollMs: 10,
      timeout: () =>
        new MfaEnvError(
          `another mfa-env process has held the lock on ${what} (${lockPath}) for ${waitMs / 1000}s`,
          `If no other mfa-env is running, remove it: rmdir '${lockPath}'`,
        ),
    },
    fn,
  );
}
