/**
 * Errors the user can act on. Every failure that reaches the CLI is one of these:
 * a message that names the fault, and a hint that names the fix.
 * Anything else is a bug and is reported as such.
 */

/** Something the user typed is wrong (flag value, code format). Exit 2, before any network call. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The operation failed for a reason outside the command line (files, STS, terminal). Exit 1. */
export class MfaEnvError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'MfaEnvError';
  }
}

/**
 * What each filesystem errno means on the user's machine, and what to do about it. A fault of
 * the machine (a full disk, a directory without write permission) is never "a bug in mfa-env".
 */
const FILESYSTEM_FAULTS: Record<string, { what: string; fix: (path: string) => string }> = {
  EACCES: { what: 'permission denied', fix: (path) => `Check the owner and mode of ${path} and of the directories above it (ls -ld '${path}'); they must be yours and allow this.` },
  EPERM: { what: 'operation not permitted', fix: (path) => `Check the owner, mode and attributes of ${path} (ls -ld '${path}', lsattr).` },
  EROFS: { what: 'the filesystem is read-only', fix: () => 'Remount it read-write, or point the setting that names this path at a writable place.' },
  ENOSPC: { what: 'no space left on the device', fix: (path) => `Free some space on the disk that holds ${path} (df -h '${path}').` },
  EDQUOT: { what: 'disk quota exceeded', fix: (path) => `Free some space within your quota on the disk that holds ${path}.` },
  ENOTDIR: { what: 'a part of the path is not a directory', fix: (path) => `One of the directories in ${path} is a file; move it away or fix the path.` },
  EISDIR: { what: 'it is a directory', fix: (path) => `${path} must be a file; move the directory away or fix the path.` },
  ELOOP: { what: 'too many symbolic links', fix: (path) => `Replace the symbolic link at ${path} with a regular file.` },
  ENAMETOOLONG: { what: 'the path is too long', fix: () => 'Use a shorter path (HOME, XDG_CACHE_HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).' },
  EIO: { what: 'an input/output error', fix: (path) => `The disk that holds ${path} reports errors; check it (dmesg).` },
  EMFILE: { what: 'too many open files', fix: () => 'Raise the open-file limit (ulimit -n) or close other programs.' },
  ENFILE: { what: 'too many open files in the system', fix: () => 'Close other programs, then run this again.' },
  ENXIO: { what: 'no such device (a FIFO or socket with nobody on the other end)', fix: (path) => `${path} must be a regular file.` },
};

/** What a failed system call was doing, in words. */
const SYSCALL_WORDS: Record<string, string> = {
  open: 'open',
  mkdir: 'create the directory',
  create: 'create a file in',
  rename: 'replace',
  write: 'write to',
  unlink: 'remove',
  rmdir: 'remove',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  chmod: 'change the mode of',
  access: 'read',
};

/** `error` as a filesystem fault the user can fix, or undefined when it is none (Node's errors carry code and path). */
export function filesystemFault(error: unknown, doing?: string): MfaEnvError | undefined {
  const { code, path: source, syscall, dest } = (error ?? {}) as NodeJS.ErrnoException & { dest?: string };
  const fault = code ? FILESYSTEM_FAULTS[code] : undefined;
  if (!fault || typeof source !== 'string') return undefined;
  // A rename names its temp file first; the user knows the file it was to replace.
  const path = syscall === 'rename' && typeof dest === 'string' ? dest : source;
  const action = doing ?? `${SYSCALL_WORDS[syscall ?? ''] ?? 'use'} ${path}`;
  return Object.assign(new MfaEnvError(`cannot ${action}: ${fault.what} (${code})`, fault.fix(path)), { code });
}

/** stdout's reader went away (`mfa-env list | head -1`): exit 1, nothing on stderr, as Unix tools do. */
export class OutputClosedError extends Error {
  readonly exitCode = 1;
}

/** Formats an error for stderr: `mfa-env: message` and an indented hint line. */
export function formatError(error: unknown): { text: string; exitCode: number } {
  if (error instanceof UsageError || error instanceof MfaEnvError) {
    const hint = error.hint ? `\n  ${error.hint.replace(/\n/g, '\n  ')}` : '';
    return { text: `mfa-env: ${error.message}${hint}\n`, exitCode: error.exitCode };
  }
  if (error instanceof OutputClosedError) return { text: '', exitCode: 1 };
  const fault = filesystemFault(error);
  if (fault) return formatError(fault);
  // An unexpected error is a bug: say so, but never dump objects that could hold credentials.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    text: `mfa-env: unexpected error: ${message}\n  This is a bug in mfa-env; please report it with the command you ran.\n`,
    exitCode: 1,
  };
}
