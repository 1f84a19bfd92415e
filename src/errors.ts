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

/** Formats an error for stderr: `mfa-env: message` and an indented hint line. */
export function formatError(error: unknown): { text: string; exitCode: number } {
  if (error instanceof UsageError || error instanceof MfaEnvError) {
    const hint = error.hint ? `\n  ${error.hint.replace(/\n/g, '\n  ')}` : '';
    return { text: `mfa-env: ${error.message}${hint}\n`, exitCode: error.exitCode };
  }
  // An unexpected error is a bug: say so, but never dump objects that could hold credentials.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    text: `mfa-env: unexpected error: ${message}\n  This is a bug in mfa-env; please report it with the command you ran.\n`,
    exitCode: 1,
  };
}
