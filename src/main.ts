import { main as runCli } from './cli.js';
import { COMMANDS } from './commands/index.js';

/** The whole CLI, every command: what `mfa-env` runs when argv names no command (help, typos). */
export function main(): Promise<void> {
  return runCli(COMMANDS);
}
