/**
 * One record per shell (the direnv layout): how it quotes and sets variables, how the process
 * running it is named, and, for shells with an integration script in shell/, the script, the
 * line that loads it and the rc files it goes in. init, doctor, completion, install.sh (through
 * `mfa-env init --rc-table`) and the tests' shell table are all derived from these records.
 * Adding a shell: its name below, its record file (emitter + integration), its script.
 */
export interface Shell {
  readonly name: ShellName;
  /** The value as a literal in this shell's syntax: nothing inside it is expanded or run. */
  quote(value: string): string;
  /** A statement that sets and exports `name`, which no alias or function of the user's can take over. */
  exportVar(name: string, value: string): string;
  /** A statement that removes `name` from the environment, silently when it is not set. */
  unsetVar(name: string): string;
  /** Names of the process (/proc/PID/comm) that mean this shell is the one calling us. */
  readonly processNames: readonly string[];
  /** The shell integration (shell/mfa-env.NAME); none for a shell that only gets `login --shell` output. */
  readonly integration?: ShellIntegration;
}

export interface ShellIntegration {
  /** The template's file name under shell/. */
  readonly script: string;
  /** The line that loads the integration, for `command` (a word in this shell's syntax: `mfa-env`, or a quoted path). */
  initLine(command: string): string;
  /** The same, doing nothing once `command` (a quoted path) is not executable: what install.sh writes. */
  guardedInitLine(command: string): string;
  /** The rc files that may load it, most usual first: install.sh writes to the first, doctor reads them all. */
  rcFiles(paths: ShellPaths): string[];
}

/** Where rc files live, from the environment (see shellPaths). */
export interface ShellPaths {
  home: string;
  /** XDG_CONFIG_HOME, else ~/.config. */
  config: string;
  /** ZDOTDIR, else HOME. */
  zdotdir: string;
}

/** Every shell mfa-env prints for; a name here must have a record in index.ts. */
export const SHELL_NAMES = ['bash', 'zsh', 'fish', 'sh'] as const;
export type ShellName = (typeof SHELL_NAMES)[number];

export function isShellName(name: string): name is ShellName {
  return (SHELL_NAMES as readonly string[]).includes(name);
}

/** Variable names are ours, never user input; refuse anything else so quoting never has to cover them. */
export function assertVariableName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid variable name: ${name}`);
}
