import { readFileSync } from 'node:fs';
import { Builtins, Cli, type Command } from 'clipanion';
import type { MfaEnvContext } from './commands/base.js';
import { COMMANDS } from './commands/index.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildCli(): Cli<MfaEnvContext> {
  const cli = new Cli<MfaEnvContext>({ binaryLabel: 'mfa-env', binaryName: 'mfa-env', binaryVersion: version() });
  for (const command of COMMANDS) cli.register(command);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage error.
 * Parse errors are printed here, to stderr: clipanion's own `run` prints them to stdout
 * (clipanion#176), where `eval "$(mfa-env login --typo)"` would execute them.
 */
export async function run(argv: string[], context: MfaEnvContext): Promise<number> {
  const cli = buildCli();
  let command: Command<MfaEnvContext>;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    context.stderr.write(cli.error(error, { colored: false }));
    return 2;
  }
  return cli.run(command, context);
}

export async function main(): Promise<void> {
  const context: MfaEnvContext = {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    // Help goes to stdout: colour only on a terminal, and never with NO_COLOR (https://no-color.org).
    colorDepth: process.stdout.isTTY && !process.env.NO_COLOR ? process.stdout.getColorDepth() : 1,
  };
  process.exitCode = await run(process.argv.slice(2), context);
}
