import { assertVariableName, type Shell } from './shell.js';

/**
 * POSIX single quotes: every byte is literal except `'`, which closes the string;
 * a quote is written as `'\''` (close, escaped quote, reopen). bash, zsh and dash agree.
 */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The emitter of a POSIX-syntax shell. `prefix` goes in front of `export` and `unset` so that
 * no alias or function of the user's runs in their place (and prints the secret it was handed):
 * bash and zsh use `\builtin ` (the backslash defeats an alias named builtin; `builtin` skips
 * functions). POSIX sh has no `builtin`: `\` defeats an alias, and POSIX finds special
 * built-ins (export, unset) before functions (dash and bash --posix refuse to define such a
 * function at all). `\command export` would also skip a function in zsh's sh emulation, but
 * then a function named `command` would get the secret in every shell, and native zsh (which
 * gets sh output when detection fails, e.g. on macOS) runs no built-in through `command`.
 */
export function posixEmitter(prefix: string): Pick<Shell, 'quote' | 'exportVar' | 'unsetVar'> {
  return {
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

/** `eval "$(mfa-env init SHELL)"`, the init line of bash and zsh. */
export function posixInitLine(shell: string, command: string): string {
  return `eval "$(${command} init ${shell})"`;
}

/** The init line inside `if [ -x PATH ]`: install.sh's, which does nothing once the link is gone. */
export function posixGuardedInitLine(shell: string, command: string): string {
  return `if [ -x ${command} ]; then ${posixInitLine(shell, command)}; fi`;
}
