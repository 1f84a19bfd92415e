import { join } from 'node:path';
import { assertVariableName, type Shell } from './shell.js';

/**
 * fish single quotes are not POSIX ones: inside them `\\` is a backslash and `\'` a quote,
 * so a value ending in `\` would swallow the closing quote if quoted the POSIX way.
 */
export function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export const fish: Shell = {
  name: 'fish',
  quote: quoteFish,
  exportVar(variable, value) {
    assertVariableName(variable);
    // fish refuses a function named set; `builtin` says so anyway, as the bash and zsh output does.
    return `builtin set -gx ${variable} ${quoteFish(value)}`;
  },
  unsetVar(variable) {
    assertVariableName(variable);
    // `set -e` of a variable that does not exist is silent but returns 4; `; or true` keeps $status clean.
    return `builtin set -e ${variable}; or builtin true`;
  },
  processNames: ['fish'],
  integration: {
    script: 'mfa-env.fish',
    initLine: (command) => `${command} init fish | source`,
    guardedInitLine: (command) => `if test -x ${command}; ${command} init fish | source; end`,
    // conf.d is read before config.fish, and a file of its own is easy to remove.
    rcFiles: ({ config }) => [join(config, 'fish', 'conf.d', 'mfa-env.fish'), join(config, 'fish', 'config.fish')],
  },
};
