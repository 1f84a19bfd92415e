import { unlinkSync } from 'node:fs';
import { filesystemFault } from '../errors.js';
import { CacheUnavailableError, cacheDirPath, cacheDirReadable, ensureCacheDir } from '../store/cache-dir.js';
import { readOwnFile, removeStaleTempFiles, writeFileAtomic } from '../store/files.js';
import { removeFollowFile, writeFollowFile } from '../store/follow-file.js';
import { ENTRY_VERSION, entryPath, profileOfKey, type EntryKey } from '../store/layout.js';
import { followRecord } from './follow-record.js';
import { formatTimeLeft, timeLeftMs, type Session } from './session.js';

/** A session with less than this left is not reused: long enough for the command the user runs next. */
export const REUSE_MARGIN_MS = 5 * 60_000;

const MAX_ENTRY_BYTES = 64 * 1024;

export interface CacheEntry {
  version: number;
  /** Hash of the profile settings the session was made from; a changed profile is a miss. */
  fingerprint: string;
  session: Session;
}

export type Warn = (message: string) => void;

/**
 * The cached session of `key` (a profile's own, or an ad hoc role's) if it is valid for at least
 * REUSE_MARGIN_MS and was made from the same settings. A corrupt or unsafe entry is a miss plus
 * one warning, never a crash.
 */
export function readCachedSession(
  key: EntryKey,
  fingerprint: string | undefined,
  warn: Warn,
  now = Date.now(),
): Session | undefined {
  const entry = readEntry(key, warn);
  if (!entry) return undefined;
  if (fingerprint !== undefined && entry.fingerprint !== fingerprint) return undefined;
  const left = timeLeftMs(entry.session, now);
  if (left < REUSE_MARGIN_MS) {
    // Say why a code is asked for again, and which file held the session.
    const why = left <= 0 ? `it expired at ${entry.session.expiration}` : `it has only ${formatTimeLeft(left)} left`;
    warn(`not reusing the cached session in ${entryPath(key)}: ${why}; logging in again`);
    return undefined;
  }
  return entry.session;
}

/** Whose entry a file must be: the profile's, and an ad hoc role's ARN for an ad hoc entry. */
export interface EntryOwner {
  profile: string;
  adHocRoleArn?: string;
}

function ownerOf(key: EntryKey): EntryOwner {
  return { profile: profileOfKey(key), adHocRoleArn: typeof key === 'string' ? undefined : key.adHoc?.roleArn };
}

/** The entry as stored, whatever its expiry (for `status`); undefined when missing or corrupt. */
export function readEntry(key: EntryKey, warn: Warn): CacheEntry | undefined {
  const dir = readableCacheDir();
  return dir === undefined ? undefined : readEntryFile(entryPath(key, dir), ownerOf(key), warn);
}

/** The cache dir when it can be read; undefined (a quiet miss) when it is missing or the machine refuses. */
export function readableCacheDir(): string | undefined {
  const dir = cacheDirPath();
  try {
    return cacheDirReadable(dir) ? dir : undefined;
  } catch (error) {
    // The machine's fault (no permission, a broken disk): a quiet miss; the cache write after
    // the login says what is wrong, once.
    if (!(error instanceof CacheUnavailableError)) throw error;
    return undefined;
  }
}

/** The entry in the file at `path`, which must be `owner`'s. */
export function readEntryFile(path: string, owner: EntryOwner, warn: Warn): CacheEntry | undefined {
  const result = readOwnFile(path, MAX_ENTRY_BYTES);
  if (!result.ok) {
    if (result.reason !== 'missing') warn(`ignoring the cache entry ${path}: ${result.detail}; logging in again`);
    return undefined;
  }
  const problem = entryProblem(result.content, owner);
  if (problem === OLDER_VERSION) return undefined;
  if (typeof problem === 'string') {
    warn(`ignoring the corrupt cache entry ${path} (${problem}); logging in again`);
    return undefined;
  }
  return problem;
}

/** An entry an older mfa-env wrote: a quiet miss, since an upgrade is not corruption. */
const OLDER_VERSION = Symbol('older version');

function isOlderVersion(version: unknown): boolean {
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 && version < ENTRY_VERSION;
}

/** Why `content` is not a valid entry of `owner`, or the entry itself. */
function entryProblem(content: string, owner: EntryOwner): CacheEntry | string | typeof OLDER_VERSION {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    return content.trim() === '' ? 'empty file' : 'not valid JSON';
  }
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const entry = data as Partial<CacheEntry>;
  if (isOlderVersion(entry.version)) return OLDER_VERSION;
  if (entry.version !== ENTRY_VERSION) return `unknown version ${JSON.stringify(entry.version)}`;
  if (typeof entry.fingerprint !== 'string') return 'no fingerprint';
  const session = entry.session as Partial<Session> | undefined;
  if (typeof session !== 'object' || session === null) return 'no session';
  for (const key of ['profile', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'] as const) {
    if (typeof session[key] !== 'string' || session[key] === '') return `field ${key} is missing or not a string`;
  }
  if (session.kind !== 'session' && session.kind !== 'role') return 'field kind is not session or role';
  if (Number.isNaN(Date.parse(session.expiration!))) return 'field expiration is not a date';
  if (session.region !== undefined && typeof session.region !== 'string') return 'field region is not a string';
  if (session.profile !== owner.profile) return `it belongs to profile ${JSON.stringify(session.profile)}`;
  // An ad hoc role's session only in that role's entry, and never in the profile's own.
  if (session.adHocRoleArn !== owner.adHocRoleArn) return `field adHocRoleArn is not ${owner.adHocRoleArn === undefined ? 'absent' : JSON.stringify(owner.adHocRoleArn)}`;
  return entry as CacheEntry;
}

/**
 * Stores a session in the entry of `key` (the profile's own unless said). With `warn`, a failed write (disk full, something in
 * the way) is a warning, not an error: the session was already paid for with a one-time code and
 * must still reach the user. `sourceProfile`: a role's source (the follow file says the role can
 * be renewed with its session). The temp files of writers killed mid-write are cleaned up here.
 */
export function writeCachedSession(session: Session, fingerprint: string, warn?: Warn, sourceProfile?: string, key: EntryKey = session.profile): void {
  const path = entryPath(key);
  const entry: CacheEntry = { version: ENTRY_VERSION, fingerprint, session };
  try {
    const dir = ensureCacheDir();
    removeStaleTempFiles(dir);
    writeFileAtomic(path, `${JSON.stringify(entry, null, 2)}\n`);
    // The shells' copy (sessions that follow you), after the entry so it is never the newer of
    // the two; none for an ad hoc role, which shells of the profile must not take over.
    if (session.adHocRoleArn === undefined) writeFollowFile(followRecord(session, sourceProfile), dir);
  } catch (error) {
    if (!warn) throw error;
    // The errno in brackets, then what it means here and the fix.
    const why = error instanceof CacheUnavailableError ? error : filesystemFault(error);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    warn(`could not save the session in ${path} (${code}); the next login will ask for a new code${why ? `: ${why.message}. ${why.hint}` : ''}`);
  }
}

/** Drops a profile's entry; true when there was one. */
export function removeCachedSession(profile: string): boolean {
  removeFollowFile(profile);
  try {
    unlinkSync(entryPath(profile));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
