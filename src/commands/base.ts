import { Command } from 'clipanion';
import { formatError } from '../errors.js';
import { writeTo, type MfaEnvContext } from '../stdio.js';

/** Defined with the stdio it carries (src/stdio.ts, the base layer); named here for the commands. */
export type { MfaEnvContext };

/**
 * Every command extends this: `run` does the work; any error becomes a message on stderr and
 * an exit code, never text on stdout (clipanion would print it to stdout, clipanion#176, and
 * `eval "$(mfa-env login)"` would run it).
 */
export abstract class MfaEnvCommand extends Command<MfaEnvContext> {
  abstract run(): Promise<number | void>;

  async execute(): Promise<number> {
    try {
      return (await this.run()) ?? 0;
    } catch (error) {
      const { text, exitCode } = formatError(error);
      writeTo(this.context, 'stderr', text);
      return exitCode;
    }
  }

  /** A line for the user on stderr, prefixed like every mfa-env message. */
  say(message: string): void {
    writeTo(this.context, 'stderr', `mfa-env: ${message}\n`);
  }

  /** Text on stdout (shell code, JSON, the segment): straight to the descriptor when it can (src/stdio.ts). */
  out(text: string): void {
    writeTo(this.context, 'stdout', text);
  }
}
