import { assertVariableName, type Shell, type ShellName } from './shell.js';

/**
 * POSIX single quotes: every byte is literal except `'`, which closes the string;
 * a quote is written as `'\''` (close, escaped quote, reopen). bash, zsh and dash agree.
 */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function posixShell(name: ShellName): Shell {
  return {
    name,
    quote: quotePosix,
    exportVar(variable, value) {
      assertVariableName(variable);
      return `export ${variable}=${quotePosix(value)}`;
    },
    unsetVar(variable) {
      assertVariableName(variable);
      return `unset ${variable}`;
    },
  };
}

export const bash = posixShell('bash');
export const zsh = posixShell('zsh');
export const sh = posixShell('sh');
