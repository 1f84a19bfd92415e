import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` atomically with mode 0600: a temp file in the same directory,
 * fsync, rename. A crash leaves the old file or the new one, never half of either.
 *
 * Hand-written rather than write-file-atomic because that library resolves the target's
 * realpath first, i.e. it writes *through* a symlink planted at `path`; rename(2) replaces
 * the link itself. The temp file is created with O_EXCL|O_NOFOLLOW, so a link planted at
 * its (random) name makes the open fail instead of being followed.
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
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
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never created
    }
    throw error;
  }
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
