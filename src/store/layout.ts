import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { cacheDirPath } from './cache-dir.js';

/**
 * Where everything mfa-env keeps lives inside its cache dir, and the version of each format.
 * Lock paths are named on their own, never derived from the file they guard: renaming an
 * entry file must not silently split one lock into two.
 */

/** Version of a session entry; an entry of an older version is a quiet miss (an upgrade is not corruption). */
export const ENTRY_VERSION = 1;
/** Version of the profiles snapshot (profiles.json). */
export const SNAPSHOT_VERSION = 1;

/**
 * A profile's name as it appears in file names: readable for ordinary names, a hash for
 * anything else. A name that looks like a hash is hashed too, so profile "h-<hash of X>"
 * cannot share X's files.
 */
export function fileSafeName(profile: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(profile) && !/^h-[0-9a-f]{32}$/.test(profile)
    ? profile
    : `h-${createHash('sha256').update(profile).digest('hex').slice(0, 32)}`;
}

/** The settings of an ad hoc role (login --role-arn): what tells its sessions apart from the profile's own. */
export interface AdHocRole {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
}

/** What separates a profile's name from the hash in the name of an ad hoc entry. */
export const AD_HOC_MARK = '+role-';

/** Which session entry: a profile's own (its name), or one of its ad hoc role sessions. */
export type EntryKey = string | { profile: string; adHoc?: AdHocRole };

export function profileOfKey(key: EntryKey): string {
  return typeof key === 'string' ? key : key.profile;
}

/**
 * The name an entry and its lock share: the profile's file-safe name, and for an ad hoc role
 * `+role-` and a short hash of its settings. fileSafeName never puts a `+` in a name, so no
 * profile can share an ad hoc entry's files, and the profile's own entry is left alone.
 */
export function entryStem(key: EntryKey): string {
  const profile = fileSafeName(profileOfKey(key));
  const adHoc = typeof key === 'string' ? undefined : key.adHoc;
  if (adHoc === undefined) return profile;
  const settings = JSON.stringify([adHoc.roleArn, adHoc.externalId ?? '', adHoc.sessionName ?? '']);
  return `${profile}${AD_HOC_MARK}${createHash('sha256').update(settings).digest('hex').slice(0, 16)}`;
}

/** File name of a session entry. */
export function entryFileName(key: EntryKey): string {
  return `session-${entryStem(key)}.json`;
}

export function entryPath(key: EntryKey, dir = cacheDirPath()): string {
  return join(dir, entryFileName(key));
}

/** Whether `fileName` (in the cache dir) is the entry of one of `profile`'s ad hoc role sessions. */
export function isAdHocEntryOf(profile: string, fileName: string): boolean {
  const prefix = `session-${fileSafeName(profile)}${AD_HOC_MARK}`;
  return fileName.startsWith(prefix) && /^[0-9a-f]{16}\.json$/.test(fileName.slice(prefix.length));
}

/** The lock held while a login of `key` asks for a code and calls STS (an ad hoc role has its own). */
export function profileLockPath(key: EntryKey, dir = cacheDirPath()): string {
  return join(dir, `login-${entryStem(key)}.lock`);
}

/** The file `mfa-env doctor` writes and removes at once, to know the cache dir takes a file. */
export function writeProbePath(dir = cacheDirPath()): string {
  return join(dir, `doctor-probe-${process.pid}`);
}

/** Hashes of the MFA codes recently sent, per device. */
export function usedCodesPath(dir = cacheDirPath()): string {
  return join(dir, 'used-codes.json');
}

export function usedCodesLockPath(dir = cacheDirPath()): string {
  return join(dir, 'used-codes.lock');
}

/** The SDK loader's last output, secrets redacted (see session/profiles-snapshot.ts). */
export function snapshotPath(dir = cacheDirPath()): string {
  return join(dir, 'profiles.json');
}

/**
 * The lock of an edit of an AWS file: in our own 0700 cache dir rather than next to the file,
 * so nothing new ever appears in ~/.aws and the lock cannot be planted by whoever can write there.
 */
export function fileEditLockPath(file: string, dir = cacheDirPath()): string {
  const id = createHash('sha256').update(resolve(file)).digest('hex').slice(0, 16);
  return join(dir, `edit-${id}.lock`);
}

/** Version of the follow file's field list; a new list gets a new name, so old shells read nothing. */
export const FOLLOW_VERSION = 1;

/**
 * A profile's follow file: the session as NUL-terminated fields that the shell integration
 * reads with builtins (see store/follow-file.ts). The shells compute this name themselves,
 * for names that fileSafeName keeps as they are: keep the two in step.
 */
export function followFilePath(profile: string, dir = cacheDirPath()): string {
  return join(dir, `follow-${fileSafeName(profile)}.v${FOLLOW_VERSION}`);
}

/**
 * The stamp of a profile's follow file: an empty file named after the expiry the follow file
 * holds (`follow-dev.v1@1767225600`). A shell that has read the follow file looks only for its
 * stamp at each prompt (one stat, no read); whoever replaces the follow file removes the stamps
 * first and adds the new one after (store/follow-file.ts), so a shell may read once too often
 * but never misses a change.
 */
export function followStampPath(profile: string, expires: string, dir = cacheDirPath()): string {
  return `${followFilePath(profile, dir)}@${expires}`;
}

/** True when `fileName` is a stamp of `profile`'s follow file. */
export function isFollowStampOf(profile: string, fileName: string): boolean {
  const prefix = `${basename(followFilePath(profile, '.'))}@`;
  return fileName.startsWith(prefix) && /^[0-9]{1,12}$/.test(fileName.slice(prefix.length));
}

/** Held by a background renewal of `profile`, so that two shells make one STS call. */
export function renewLockPath(profile: string, dir = cacheDirPath()): string {
  return join(dir, `renew-${fileSafeName(profile)}.lock`);
}
