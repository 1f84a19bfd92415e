import { Command, type BaseContext } from 'clipanion';
import { formatError } from '../errors.js';

/** All I/O goes through the context, so tests can pass their own streams and environment. */
export interface MfaEnvContext extends BaseContext {
  env: NodeJS.ProcessEnv;
}

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
      this.context.stderr.write(text);
      return exitCode;
    }
  }

  /** A line for the user on stderr, prefixed like every mfa-env message. */
  say(message: string): void {
    this.context.stderr.write(`mfa-env: ${message}\n`);
  }
}
