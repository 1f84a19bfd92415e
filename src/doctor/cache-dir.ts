/**
 * The cache dir holds MFA sessions: it must be yours and closed to others, or a planted entry
 * could hand you someone else's credentials. mfa-env refuses such a dir at login; doctor says why
 * before that happens.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { fail, pass, quotePath, warn, type CheckResult } from './check.js';

const mode = (stat: Stats) => (stat.mode & 0o777).toString(8).padStart(3, '0');

export function checkCacheDir(dir: string, uid = process.getuid?.()): CheckResult {
  const id = 'cache-dir';
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch {
    return pass(id, `${dir} does not exist yet; the first login creates it with mode 700`);
  }
  if (!stat.isDirectory()) return fail(id, `${dir} is not a directory`, `rm ${quotePath(dir)}`);
  if (uid !== undefined && stat.uid !== uid) {
    return fail(id, `${dir} is owned by uid ${stat.uid}, not by you (uid ${uid}); login refuses to keep sessions there`, `sudo rm -rf ${quotePath(dir)} (or point XDG_CACHE_HOME at a directory of your own)`);
  }
  if ((stat.mode & 0o022) !== 0) {
    return fail(id, `${dir} is writable by other users (mode ${mode(stat)}); login refuses to keep sessions there`, `chmod 700 ${quotePath(dir)}`);
  }
  const loose = looseEntries(dir, uid);
  if (loose.length) return warn(id, `cache files others can read or that are not yours: ${loose.join(', ')}`, `chmod 600 ${loose.map(quotePath).join(' ')}`);
  if ((stat.mode & 0o077) !== 0) {
    return warn(id, `${dir} is readable by other users (mode ${mode(stat)}); the next login tightens it`, `chmod 700 ${quotePath(dir)}`);
  }
  return pass(id, `${dir} (mode ${mode(stat)}, yours)`);
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
