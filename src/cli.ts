import { readFileSync } from 'node:fs';
import { Builtins, Cli, type Command, type CommandClass } from 'clipanion';
import type { MfaEnvContext } from './commands/base.js';
import { processContext, writeTo } from './stdio.js';

/**
 * The runner, given the commands to offer. It imports no command itself: src/main.ts passes
 * all of them, and the build makes one bundle per command word that passes only those
 * (scripts/bundle.mjs), so `mfa-env clear` does not load the code of the other commands.
 */
export type MfaEnvCommandClass = CommandClass<MfaEnvContext>;

/** package.json's version, written into the bundles by scripts/bundle.mjs (one file read less per start). */
declare const MFA_ENV_VERSION: string | undefined;

export function version(): string {
  if (typeof MFA_ENV_VERSION === 'string') return MFA_ENV_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The commands that can match `argv`. Clipanion compiles one state machine from every
 * registered command on each run, which is a visible share of a cached login's start-up; a
 * command whose paths all begin with another word can never match, so it is left out. When
 * argv names no command (`--help`, a typo), all of them are registered, for the full help
 * and the "did you mean" list.
 */
export function commandsFor(argv: readonly string[], commands: readonly MfaEnvCommandClass[]): MfaEnvCommandClass[] {
  const named = commands.filter((command) => namedBy(argv, command));
  if (named.length === 0) return [...commands];
  // Commands without a path (a default command) match any argv.
  return commands.filter((command) => named.includes(command) || !command.paths?.length || command.paths.some((path) => path.length === 0));
}

function namedBy(argv: readonly string[], command: MfaEnvCommandClass): boolean {
  return command.paths?.some((path) => path.length > 0 && path[0] === argv[0]) ?? false;
}

/**
 * `builtins`: `-h`/`--help` and `-v`/`--version` on their own. They only ever match as the
 * first word, so run() leaves them out when that word is a command (`login --help` is the
 * command's own help): ~1 ms less state machine to compile.
 */
export function buildCli(commands: readonly MfaEnvCommandClass[], { builtins = true } = {}): Cli<MfaEnvContext> {
  const cli = new Cli<MfaEnvContext>({ binaryLabel: 'mfa-env', binaryName: 'mfa-env', binaryVersion: version() });
  for (const command of commands) cli.register(command);
  if (builtins) {
    cli.register(Builtins.HelpCommand);
    cli.register(Builtins.VersionCommand);
  }
  return cli;
}

/** The Cli that run() parses `argv` with: the commands that can match it (commandsFor). */
export function cliFor(argv: readonly string[], commands: readonly MfaEnvCommandClass[]): Cli<MfaEnvContext> {
  return buildCli(commandsFor(argv, commands), { builtins: !commands.some((command) => namedBy(argv, command)) });
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage error.
 * Parse errors are printed here, to stderr: clipanion's own `run` prints them to stdout
 * (clipanion#176), where `eval "$(mfa-env login --typo)"` would execute them.
 */
export async function run(argv: string[], context: MfaEnvContext, commands: readonly MfaEnvCommandClass[]): Promise<number> {
  const cli = cliFor(argv, commands);
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) {
    // Help is printed: colour it only for a terminal without NO_COLOR. Left alone, clipanion
    // decides from $TERM, so `mfa-env --help | less` got escape codes. Asked only here, since
    // the answer builds Node's stdout stream, which the other runs avoid.
    (cli as { enableColors?: boolean }).enableColors = context.colorDepth > 1;
  }
  let command: Command<MfaEnvContext>;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    writeTo(context, 'stderr', withoutHiddenCommands(cli.error(error, { colored: false })));
    return 2;
  }
  return cli.run(command, context);
}

export async function main(commands: readonly MfaEnvCommandClass[]): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processContext(), commands);
}

/**
 * clipanion's "did you mean one of" list names every command, hidden ones too (`__complete`,
 * the completion helper): leave those out and number the rest again.
 */
function withoutHiddenCommands(message: string): string {
  let index = 0;
  return message
    .split('\n')
    .filter((line) => !/^\s*\d+\. mfa-env __/.test(line))
    .map((line) => line.replace(/^(\s*)\d+\. (mfa-env\b)/, (_, indent: string, name: string) => `${indent}${index++}. ${name}`))
    .join('\n');
}
