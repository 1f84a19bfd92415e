import { Command } from 'clipanion';
import { formatError } from '../errors.js';
import { visibleText, writeTo, type MfaEnvContext } from '../stdio.js';

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

  /** Text on stdout for a person (list, status, doctor): names from the AWS files shown, never obeyed. */
  show(text: string): void {
    writeTo(this.context, 'stdout', visibleText(text));
  }

  /**
   * JSON on stdout. JSON.stringify escapes C0 controls but leaves DEL, C1 and the bidi
   * overrides raw; written as \u escapes they mean the same to a parser and nothing to a terminal.
   */
  printJson(value: unknown): void {
    const text = JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    writeTo(this.context, 'stdout', `${text}\n`);
  }
}
