import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `.<target>.<pid>.<12 hex>.tmp`: the writer's pid in the name lets a later write tell a dead writer's leftover. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.([0-9a-f]{12})\.tmp$/;
/** A write takes milliseconds; a temp file this old is abandoned even if its pid now belongs to another process. */
const ABANDONED_AFTER_MS = 10 * 60_000;
const OPEN_ATTEMPTS = 5;

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `content` to `path` atomically with mode 0600: a temp file in the same directory,
 * fsync, rename. A crash leaves the old file or the new one, never half of either; the temp
 * file a killed writer leaves behind is removed by the next write (removeStaleTempFiles).
 *
 * Hand-written rather than write-file-atomic because that library resolves the target's
 * realpath first, i.e. it writes *through* a symlink planted at `path`; rename(2) replaces
 * the link itself. The temp file is created with O_EXCL|O_NOFOLLOW, so a link planted at
 * its (random) name makes the open fail instead of being followed; we then pick another name.
 * `beforeRename` runs once the new content is on disk, just before it replaces the file; it
 * may throw to leave the file as it is (the AWS files' compare-before-replace, src/ini/file-edit.ts).
 * An error names `path` (a failed write(2) carries no path of its own: a full disk is ENOSPC
 * on the descriptor), so the user is told which file.
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600, beforeRename?: () => void): void {
  removeStaleTempFiles(dirname(path), basename(path));
  let temp = '';
  let fd: number | undefined;
  for (let attempt = 1; fd === undefined; attempt++) {
    temp = tempName(path);
    try {
      fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    } catch (error) {
      // Something already has that name (a planted link, a leftover): never touch it, take another.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw Object.assign(error as Error, { path: dirname(path), syscall: 'create' });
      if (attempt >= OPEN_ATTEMPTS) throw error;
    }
  }
  try {
    try {
      // The umask may have removed bits but can never add any; fchmod makes the mode exact.
      fchmodSync(fd, mode);
      const buffer = Buffer.from(content, 'utf8');
      let written = 0;
      while (written < buffer.length) written += writeSync(fd, buffer, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeRename?.();
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never created
    }
    throw withPath(error, path);
  }
}

/** The error of a write to `path`, naming it when the system call did not (write, fsync, close on a descriptor). */
function withPath(error: unknown, path: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === 'string' && errno.path === undefined) errno.path = path;
  return error;
}

/** True when no process has this pid (kill(pid, 0) answers ESRCH); EPERM means it exists. */
function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Creates an empty file with mode 0600 unless one is there; never through a link (O_NOFOLLOW:
 * a link in the way is an error, ELOOP).
 */
export function createEmptyFile(path: string, mode = 0o600): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && lstatSync(path).isFile()) return;
    throw error;
  }
  closeSync(fd);
}

/**
 * Removes temp files that writeFileAtomic left in `dir` when its process was killed between
 * creating the temp file and renaming it (SIGKILL, power loss): those of writers that no longer
 * run, or that are too old to belong to a write in progress. With `target`, only the temp files
 * of that file name. unlink(2) removes a planted symlink itself, never its target. Best effort:
 * a leftover costs disk space, not correctness, so errors are ignored.
 */
export function removeStaleTempFiles(dir: string, target?: string, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || (target !== undefined && match[1] !== target)) continue;
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      if (!processIsGone(Number(match[2])) && now - stat.mtimeMs < ABANDONED_AFTER_MS) continue;
      unlinkSync(path);
      removed++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

export type SafeReadResult =
  | { ok: true; content: string }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'unsafe' | 'too-large'; detail: string };

/**
 * Reads a file we wrote ourselves, refusing to follow a symlink (O_NOFOLLOW), to read
 * something that is not a regular file, or one owned by another user.
 */
export function readOwnFile(path: string, maxBytes: number): SafeReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'missing' };
    if (code === 'ELOOP') return { ok: false, reason: 'unsafe', detail: 'it is a symbolic link' };
    return { ok: false, reason: 'unsafe', detail: `it cannot be read (${code})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'unsafe', detail: 'it is not a regular file' };
    if (process.getuid && stat.uid !== process.getuid()) {
      return { ok: false, reason: 'unsafe', detail: `it is owned by uid ${stat.uid}, not you` };
    }
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', detail: `it is ${stat.size} bytes` };
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, content: buffer.subarray(0, read).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
