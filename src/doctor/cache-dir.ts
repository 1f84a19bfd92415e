/**
 * The cache dir holds MFA sessions: it must be yours and closed to others, or a planted entry
 * could hand you someone else's credentials. mfa-env refuses such a dir at login; doctor says why
 * before that happens.
 */
import { lstatSync, readdirSync, rmdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { MfaEnvError } from '../errors.js';
import { cacheUnavailableError, ensureCacheDir } from '../store/cache-dir.js';
import { writeFileAtomic } from '../store/files.js';
import { writeProbePath } from '../store/layout.js';
import { fail, pass, quotePath, warn, type CheckResult } from './check.js';

const mode = (stat: Stats) => (stat.mode & 0o777).toString(8).padStart(3, '0');

export function checkCacheDir(dir: string, uid = process.getuid?.()): CheckResult {
  const id = 'cache-dir';
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch {
    return probeMissingDir(dir);
  }
  if (!stat.isDirectory()) return fail(id, `${dir} is not a directory`, `rm ${quotePath(dir)}`);
  if (uid !== undefined && stat.uid !== uid) {
    return fail(id, `${dir} is owned by uid ${stat.uid}, not by you (uid ${uid}); login refuses to keep sessions there`, `sudo rm -rf ${quotePath(dir)} (or point XDG_CACHE_HOME at a directory of your own)`);
  }
  if ((stat.mode & 0o022) !== 0) {
    return fail(id, `${dir} is writable by other users (mode ${mode(stat)}); login refuses to keep sessions there`, `chmod 700 ${quotePath(dir)}`);
  }
  const unwritable = probeWrite(dir);
  if (unwritable) return unwritable;
  const loose = looseEntries(dir, uid);
  if (loose.length) return warn(id, `cache files others can read or that are not yours: ${loose.join(', ')}`, `chmod 600 ${loose.map(quotePath).join(' ')}`);
  if ((stat.mode & 0o077) !== 0) {
    return warn(id, `${dir} is readable by other users (mode ${mode(stat)}); the next login tightens it`, `chmod 700 ${quotePath(dir)}`);
  }
  return pass(id, `${dir} (mode ${mode(stat)}, yours)`);
}

/** A machine's fault (no permission, a read-only or full disk) as a failed check, in login's words; other errors are thrown. */
function faultResult(error: unknown, dir: string): CheckResult {
  const why = cacheUnavailableError(error, dir) ?? (error instanceof MfaEnvError ? error : undefined);
  if (!why) throw error;
  return fail('cache-dir', why.message, why.hint);
}

/** Writes a file into `dir` the way the cache does, and removes it: undefined when that works. */
function probeWrite(dir: string): CheckResult | undefined {
  const probe = writeProbePath(dir);
  try {
    // Not empty: an empty file needs no block, so a full disk would take it.
    writeFileAtomic(probe, 'mfa-env doctor checks that the cache dir takes a file; removed at once\n');
  } catch (error) {
    return faultResult(error, dir);
  }
  unlinkSync(probe);
  return undefined;
}

/** `dir` and its parents that do not exist, deepest first: what making it would create. */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let path = dir; path !== dirname(path); path = dirname(path)) {
    try {
      lstatSync(path);
      break;
    } catch (error) {
      // Only what is known to be missing: a path we may not even look at is not ours to remove.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') break;
      missing.push(path);
    }
  }
  return missing;
}

/**
 * A cache dir that does not exist yet: made as the first login would make it (the store's
 * mkdir, mode 700) and written to, so a dir that cannot be made (HOME=/, a parent that is not
 * writable, a read-only disk) fails here rather than at login; then removed again, with the
 * parents this made, so doctor leaves nothing behind (rmdir: never a dir something filled meanwhile).
 */
function probeMissingDir(dir: string): CheckResult {
  const made = missingDirs(dir);
  try {
    ensureCacheDir(dir);
    return probeWrite(dir) ?? pass('cache-dir', `${dir} does not exist yet; the first login creates it with mode 700 (it can be created and written)`);
  } catch (error) {
    return faultResult(error, dir);
  } finally {
    for (const path of made) {
      try {
        rmdirSync(path);
      } catch {
        // not made by us after all, or filled by a login meanwhile: left as it is
      }
    }
  }
}

function looseEntries(dir: string, uid: number | undefined): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        const stat = statSync(path);
        return (stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid);
      } catch {
        return false;
      }
    });
}
