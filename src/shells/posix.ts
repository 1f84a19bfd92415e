import { assertVariableName, type Shell, type ShellName } from './shell.js';

/**
 * POSIX single quotes: every byte is literal except `'`, which closes the string;
 * a quote is written as `'\''` (close, escaped quote, reopen). bash, zsh and dash agree.
 */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The word in front of `export` and `unset`, so that no alias or function of the user's runs
 * in their place (and prints the secret it was handed). bash and zsh: `\builtin` (the backslash
 * defeats an alias named builtin; `builtin` itself skips functions). POSIX sh has no `builtin`:
 * the backslash defeats an alias, and POSIX finds special built-ins (export, unset) before
 * functions (dash and bash --posix refuse to define such a function at all). `\command export`
 * would also skip a function in zsh's sh emulation, but a function named `command` would then
 * get the secret in every shell, and native zsh (where sh output lands when detection fails,
 * e.g. on macOS) runs no built-in through `command`: measured in test/hardening/eval-builtins.
 */
function posixShell(name: ShellName, prefix: string): Shell {
  return {
    name,
    quote: quotePosix,
    exportVar(variable, value) {
      assertVariableName(variable);
      return `${prefix}export ${variable}=${quotePosix(value)}`;
    },
    unsetVar(variable) {
      assertVariableName(variable);
      return `${prefix}unset ${variable}`;
    },
  };
}

export const bash = posixShell('bash', '\\builtin ');
export const zsh = posixShell('zsh', '\\builtin ');
export const sh = posixShell('sh', '\\');
