/**
 * One emitter per shell behind one interface (the direnv layout): each shell quotes with
 * its own rules, so any string round-trips exactly through `eval` / `source`.
 */
export interface Shell {
  readonly name: ShellName;
  /** The value as a literal in this shell's syntax: nothing inside it is expanded or run. */
  quote(value: string): string;
  /** A statement that sets and exports `name`. */
  exportVar(name: string, value: string): string;
  /** A statement that removes `name` from the environment, silently when it is not set. */
  unsetVar(name: string): string;
}

export const SHELL_NAMES = ['bash', 'zsh', 'fish', 'sh'] as const;
export type ShellName = (typeof SHELL_NAMES)[number];

export function isShellName(name: string): name is ShellName {
  return (SHELL_NAMES as readonly string[]).includes(name);
}

/** Variable names are ours, never user input; refuse anything else so quoting never has to cover them. */
export function assertVariableName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid variable name: ${name}`);
}
