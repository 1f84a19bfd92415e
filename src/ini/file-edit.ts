import { lstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MfaEnvError } from '../errors.js';
import { ensureCacheDir } from '../store/cache-dir.js';
import { readOwnFile, writeFileAtomic } from '../store/files.js';
import { fileEditLockPath } from '../store/layout.js';
import { withLock } from '../store/lock.js';

/** Far above any real AWS file; a bigger one is not something we should rewrite. */
const MAX_FILE_BYTES = 1024 * 1024;
const LOCK_WAIT_MS = 15_000;

export interface FileEditResult {
  /** The file's content was changed (and written). */
  changed: boolean;
  /** The file did not exist before. */
  created: boolean;
}

/**
 * Read-modify-write of an AWS file (credentials or config) as one step:
 *
 * - under a cross-process lock per file, so two mfa-env processes writing different profiles
 *   into the same file cannot lose each other's section;
 * - reading without following a symlink and only a regular file of our own (a link planted at
 *   ~/.aws/credentials must not redirect where the session goes, nor what we copy from);
 * - writing atomically (temp file + rename) with mode 0600, also when the file was 0644 or the
 *   umask is 000 (with `keepMode`, an existing file keeps its mode minus group/other write,
 *   for the config file, which holds no secrets); the directory is created 0700 when missing.
 *
 * `edit` gets the current text (undefined when there is no file) and returns the new text, or
 * undefined to leave the file alone. It may throw to refuse; nothing is written then.
 */
export async function editAwsFile(
  path: string,
  what: string,
  edit: (current: string | undefined) => string | undefined | Promise<string | undefined>,
  options: { keepMode?: boolean } = {},
): Promise<FileEditResult> {
  return withFileLock(path, what, async () => {
    const current = readAwsFile(path, what);
    const next = await edit(current);
    if (next === undefined || next === current) return { changed: false, created: false };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const mode = options.keepMode && current !== undefined ? lstatSync(path).mode & 0o755 : 0o600;
    writeFileAtomic(path, next, mode);
    return { changed: true, created: current === undefined };
  });
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

function withFileLock<T>(path: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = fileEditLockPath(path, ensureCacheDir());
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
