/**
 * The cache entries of a profile's ad hoc role sessions (login --role-arn), found by their file
 * names: a shell knows the role's ARN (MFA_ENV_ROLE_ARN) but not the rest of the settings that
 * name the entry, and `clear --forget` drops them all with the profile's own.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isAdHocEntryOf } from '../store/layout.js';
import { readableCacheDir, readEntry, readEntryFile, type CacheEntry } from './cache.js';

function adHocEntryPaths(profile: string): string[] {
  const dir = readableCacheDir();
  if (dir === undefined) return [];
  try {
    return readdirSync(dir).filter((name) => isAdHocEntryOf(profile, name)).map((name) => join(dir, name));
  } catch {
    return []; // unreadable: nothing to find, as for a missing entry
  }
}

/**
 * The entry that holds a shell's session (the same access key id): the profile's own, or, for
 * a shell with MFA_ENV_ROLE_ARN, one of the profile's entries of that ad hoc role.
 */
export function entryOfShellSession(profile: string, accessKeyId: string | undefined, adHocRoleArn: string | undefined): CacheEntry | undefined {
  if (accessKeyId === undefined) return undefined;
  const quiet = () => {};
  const candidates = adHocRoleArn === undefined
    ? [readEntry(profile, quiet)]
    : adHocEntryPaths(profile).map((path) => readEntryFile(path, { profile, adHocRoleArn }, quiet));
  return candidates.find((entry) => entry?.session.accessKeyId === accessKeyId);
}

/** Drops the entries of every ad hoc role session of `profile`; how many there were. */
export function removeAdHocSessions(profile: string): number {
  let removed = 0;
  for (const path of adHocEntryPaths(profile)) {
    try {
      unlinkSync(path);
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
