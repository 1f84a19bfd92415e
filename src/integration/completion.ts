/**
 * Tab completion for every shell, in one place: the shell scripts pass the words typed so far
 * (`mfa-env __complete -- WORD… CURRENT`) and print what comes back, one candidate a line.
 * Commands and options come from the CLI's own definitions, so new commands complete too.
 */
import { integratedShells, SHELL_NAMES } from '../shells/index.js';

export interface CompletableOption {
  /** All spellings: `--profile`, `-p`. */
  names: string[];
  /** True when the option takes a value (`--profile dev`), false for a flag (`--force`). */
  takesValue: boolean;
}

export interface CompletableCommand {
  /** The words after `mfa-env`: `['login']`. */
  path: string[];
  options: CompletableOption[];
}

export interface CompletionSources {
  commands: CompletableCommand[];
  /** Profile names from the AWS files; only read when a profile is what comes next. */
  profiles: () => Promise<string[]>;
}

/** Values of positional arguments, by command. */
const POSITIONAL_VALUES: Record<string, string[]> = { init: integratedShells().map((shell) => shell.name) };

const SHELL_VALUES: readonly string[] = SHELL_NAMES;
const GLOBAL_OPTIONS = ['--help', '--version'];

/** clipanion's option definition, e.g. `--profile,-p #0` (takes a value) or `--force,-f`. */
export function parseOptionDefinition(definition: string): CompletableOption {
  const [names = '', arity] = definition.split(' ');
  return { names: names.split(',').filter((name) => name.startsWith('-')), takesValue: arity !== undefined };
}

/** Candidates for the last word of `words` (the words after `mfa-env`; the last may be empty). */
export async function complete(words: string[], sources: CompletionSources): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const matching = (candidates: string[]) => [...new Set(candidates)].filter((candidate) => candidate.startsWith(current));

  if (before.length === 0) {
    const names = sources.commands.map((command) => command.path[0]).filter((name): name is string => !!name && !name.startsWith('_'));
    return matching(current.startsWith('-') ? GLOBAL_OPTIONS : names.sort());
  }
  // After `--` come another program's arguments (exec): the shell completes those itself.
  if (before.includes('--')) return [];
  const command = sources.commands.find((candidate) => candidate.path.length > 0 && candidate.path.every((word, i) => before[i] === word));
  if (!command) return [];

  const previous = before.at(-1) ?? '';
  const valueOf = command.options.find((option) => option.takesValue && option.names.includes(previous));
  if (valueOf) return matching(await optionValues(valueOf, sources));

  if (current.startsWith('-')) {
    const longNames = command.options.flatMap((option) => option.names.filter((name) => name.startsWith('--')));
    return matching([...longNames, '--help']);
  }
  const positionals = POSITIONAL_VALUES[command.path.join(' ')] ?? [];
  const given = before.slice(command.path.length).some((word, i, rest) => !word.startsWith('-') && !takesValue(command, rest[i - 1]));
  return given ? [] : matching(positionals);
}

function takesValue(command: CompletableCommand, word: string | undefined): boolean {
  return word !== undefined && command.options.some((option) => option.takesValue && option.names.includes(word));
}

async function optionValues(option: CompletableOption, sources: CompletionSources): Promise<string[]> {
  const longName = option.names.find((name) => name.startsWith('--')) ?? '';
  if (longName === '--shell') return [...SHELL_VALUES];
  // --profile, --source-profile, --write-profile…: the profiles in the AWS files.
  if (longName.endsWith('profile')) return (await sources.profiles()).sort();
  return [];
}
