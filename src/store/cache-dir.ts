import { chmodSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import envPaths from 'env-paths';
import { filesystemFault, MfaEnvError } from '../errors.js';

/**
 * mfa-env's cache dir: $XDG_CACHE_HOME/mfa-env or ~/.cache/mfa-env on Linux and the BSDs,
 * env-paths' choice elsewhere (~/Library/Caches/mfa-env, %LOCALAPPDATA%). A relative
 * XDG_CACHE_HOME is ignored, as the XDG Base Directory spec says: env-paths would take it and
 * put the sessions under whatever the current directory happens to be.
 */
export function cacheDirPath(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin' || process.platform === 'win32') return envPaths('mfa-env', { suffix: '' }).cache;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'mfa-env');
}

/**
 * The cache dir cannot be made or used because of the machine (no permission, read-only or
 * full disk, HOME not writable). A login goes on without the cache and says so once
 * (src/session/cache.ts); other commands report it with its path and the fix.
 */
export class CacheUnavailableError extends MfaEnvError {
  constructor(message: string, hint: string, readonly code?: string) {
    super(message, hint);
  }
}

/** A fault of the machine in using the cache dir, worded with its path and the fix; undefined for any other error. */
export function cacheUnavailableError(error: unknown, dir: string): CacheUnavailableError | undefined {
  if (error instanceof CacheUnavailableError) return error;
  const fault = filesystemFault(error);
  if (!fault) return undefined;
  return new CacheUnavailableError(
    `the cache dir ${dir} cannot be used: ${fault.message.replace(/^cannot /, 'could not ')}`,
    `${fault.hint} Or point XDG_CACHE_HOME at a directory of your own that you can write to.`,
    (error as NodeJS.ErrnoException).code,
  );
}

function cacheUnavailable(error: unknown, dir: string): never {
  throw cacheUnavailableError(error, dir) ?? error;
}

/**
 * Refuses a cache dir that someone else could have put entries into: not a directory, owned
 * by another user, or writable by group or others. The error says how to fix it.
 */
function assertSafeCacheDir(dir: string, stat: Stats): void {
  if (!stat.isDirectory()) {
    throw new MfaEnvError(`the cache path ${dir} is not a directory`, `Remove it: rm -rf '${dir}'`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new MfaEnvError(
      `the cache dir ${dir} is owned by uid ${stat.uid}, not by you (uid ${uid}); mfa-env will not keep credentials there`,
      `Remove it (sudo rm -rf '${dir}') or point XDG_CACHE_HOME at a directory of your own.`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new MfaEnvError(
      `the cache dir ${dir} is writable by other users (mode ${(stat.mode & 0o777).toString(8)}); mfa-env will not keep credentials there`,
      `Fix it with: chmod 700 '${dir}'`,
    );
  }
}

/**
 * Before reading an entry: false when the cache dir does not exist yet (a miss), true when it
 * is safe to read from, an error when it is not: an entry in a dir others can write to may
 * have been planted, so it is not trusted any more than it would be written to.
 */
export function cacheDirReadable(dir = cacheDirPath()): boolean {
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    cacheUnavailable(error, dir);
  }
  assertSafeCacheDir(dir, stat);
  return true;
}

/**
 * mkdir -p with mode 0700, by hand: Node's recursive mkdir reports ENOENT for a parent it
 * could not create on a read-only filesystem, where the user needs to hear EROFS.
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    makeDirs(dirname(dir));
    mkdirSync(dir, { mode: 0o700 });
  }
}

/**
 * Creates the cache dir (0700) or checks the one that exists. A dir that others can write
 * to, or that someone else owns, could hold planted entries: refuse it and say how to fix it.
 */
export function ensureCacheDir(dir = cacheDirPath()): string {
  let stat: Stats;
  try {
    makeDirs(dir);
    stat = statSync(dir);
  } catch (error) {
    cacheUnavailable(error, dir);
  }
  assertSafeCacheDir(dir, stat);
  try {
    // Readable by others (e.g. 0755 from an old tool) is tightened silently: we own it.
    if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  } catch (error) {
    cacheUnavailable(error, dir);
  }
  return dir;
}
