import { accessSync, constants, existsSync, lstatSync, mkdirSync, statSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { filesystemFault, MfaEnvError } from '../errors.js';
import { CacheUnavailableError, ensureCacheDir } from '../store/cache-dir.js';
import { readOwnFile, writeFileAtomic } from '../store/files.js';
import { fileEditLockPath } from '../store/layout.js';
import { withLock } from '../store/lock.js';

/** Far above any real AWS file; a bigger one is not something we should rewrite. */
const MAX_FILE_BYTES = 1024 * 1024;
const LOCK_WAIT_MS = 15_000;
/** Edits redone on a file that another program changed meanwhile, before giving up. */
const EDIT_ATTEMPTS = 5;
/** How long a changed file must stand still before we read it again: another writer may be mid-way. */
const SETTLE_MS = 100;
const SETTLE_TRIES = 30;

export interface FileEditResult {
  /** The file's content was changed (and written). */
  changed: boolean;
  /** The file did not exist before. */
  created: boolean;
}

type Edit = (current: string | undefined) => string | undefined | Promise<string | undefined>;

/**
 * Read-modify-write of an AWS file (credentials or config) as one step:
 *
 * - under a cross-process lock per file, so two mfa-env processes writing different profiles
 *   into the same file cannot lose each other's section;
 * - compare-before-replace: other programs (`aws configure set`) write the file without our
 *   lock, so once the new text is on disk the file is read again, and if it changed since we
 *   read it, the edit is made again on what is there now; nobody's change is lost;
 * - reading without following a symlink and only a regular file of our own (a link planted at
 *   ~/.aws/credentials must not redirect where the session goes, nor what we copy from);
 * - a read-only file (no owner write bit) is refused, as the AWS CLI refuses it;
 * - writing atomically (temp file + rename) with mode 0600, also when the file was 0644 or the
 *   umask is 000 (with `keepMode`, an existing file keeps its mode minus group/other write,
 *   for the config file, which holds no secrets); the directory is created 0700 when missing.
 *
 * `edit` gets the current text (undefined when there is no file) and returns the new text, or
 * undefined to leave the file alone. It may throw to refuse; nothing is written then.
 */
export async function editAwsFile(path: string, what: string, edit: Edit, options: { keepMode?: boolean } = {}): Promise<FileEditResult> {
  return withFileLock(path, what, async () => {
    for (let attempt = 1; attempt <= EDIT_ATTEMPTS; attempt++) {
      const seen = await settledState(path, what, attempt > 1);
      const next = await edit(seen.content);
      if (next === undefined || next === seen.content) return { changed: false, created: false };
      assertWritable(path, what, seen.content);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const mode = options.keepMode && seen.content !== undefined ? lstatSync(path).mode & 0o755 : 0o600;
      try {
        writeFileAtomic(path, next, mode, () => assertUnchanged(path, what, seen));
        return { changed: true, created: seen.content === undefined };
      } catch (error) {
        if (!(error instanceof ChangedMeanwhile)) throw error;
      }
    }
    throw new MfaEnvError(
      `the ${what} ${path} kept changing while mfa-env was writing it (another program writes it too); nothing was written`,
      'Run this again once the other program (e.g. `aws configure`) is done.',
    );
  });
}

/** What a file was when we read it: its text and the stat fields any write changes. */
interface FileState {
  content: string | undefined;
  stamp: string;
}

function stampOf(path: string): string {
  const stat: BigIntStats | undefined = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'missing';
}

function readState(path: string, what: string): FileState {
  const stamp = stampOf(path);
  return { content: readAwsFile(path, what), stamp };
}

/** The file's state; after a change, once it has stood still for SETTLE_MS (a writer that truncates first must be done). */
async function settledState(path: string, what: string, changed: boolean): Promise<FileState> {
  let state = readState(path, what);
  if (!changed) return state;
  for (let wait = 0; wait < SETTLE_TRIES; wait++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const again = readState(path, what);
    if (again.stamp === state.stamp && again.content === state.content) return again;
    state = again;
  }
  // Still moving: the edit is made on this state, and the check before the rename decides.
  return state;
}

class ChangedMeanwhile extends Error {}

function assertUnchanged(path: string, what: string, seen: FileState): void {
  const now = readState(path, what);
  if (now.stamp !== seen.stamp || now.content !== seen.content) throw new ChangedMeanwhile(path);
}

/** A file its owner made read-only (chmod 400) is not ours to replace; the AWS CLI refuses it too. */
export function assertWritable(path: string, what: string, content: string | undefined): void {
  if (content === undefined) return;
  const mode = lstatSync(path).mode;
  if ((mode & constants.S_IWUSR) !== 0) return;
  throw new MfaEnvError(
    `the ${what} ${path} is read-only (mode ${(mode & 0o777).toString(8)}); mfa-env will not replace it, and nothing was written`,
    `To let mfa-env write it, make it writable: chmod u+w '${path}'. Or leave the file out of this command.`,
  );
}

/** The file's text, undefined when missing; an error for a link, someone else's file, or non-UTF-8 bytes. */
export function readAwsFile(path: string, what: string): string | undefined {
  const result = readOwnFile(path, MAX_FILE_BYTES);
  if (result.ok) {
    // Decoding replaced bytes that are not UTF-8; writing the text back would change them.
    if (result.content.includes('\uFFFD')) {
      throw new MfaEnvError(
        `the ${what} ${path} holds bytes that are not valid UTF-8; mfa-env will not rewrite it`,
        'Fix the file\'s encoding (the AWS SDKs read it as UTF-8), then run this again.',
      );
    }
    return result.content;
  }
  if (result.reason === 'missing') return undefined;
  const fix =
    result.reason === 'too-large'
      ? `An AWS ${what} is a few kilobytes; check that ${path} is the right file.`
      : `Point ${what === 'config file' ? 'AWS_CONFIG_FILE' : 'AWS_SHARED_CREDENTIALS_FILE'} at a regular file of your own, or replace ${path} with one (mfa-env never writes through a symbolic link).`;
  throw new MfaEnvError(`will not edit the ${what} ${path}: ${result.detail}`, fix);
}

/**
 * Before any network call: the file can be replaced, i.e. it is not read-only and its
 * directory lets us create the new file next to it (else the session would be paid for with
 * a code and then not written).
 */
export function assertReplaceable(path: string, what: string): void {
  const content = readAwsFile(path, what);
  assertWritable(path, what, content);
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw filesystemFault(Object.assign(error as Error, { syscall: 'create' })) ?? error;
  }
}

function withFileLock<T>(path: string, what: string, fn: () => Promise<T>): Promise<T> {
  let lockPath: string;
  try {
    lockPath = fileEditLockPath(path, ensureCacheDir());
  } catch (error) {
    // No cache dir to keep the lock in (the machine's fault): the compare-before-replace still guards the file.
    if (error instanceof CacheUnavailableError) return fn();
    throw error;
  }
  return withLock(lockPath, {
    waitMs: LOCK_WAIT_MS,
    pollMs: 50,
    timeout: () =>
      new MfaEnvError(
        `another mfa-env process has been editing the ${what} ${path} for ${LOCK_WAIT_MS / 1000}s`,
        'Wait for it to finish, then run this again.',
      ),
  }, fn);
}
