import { UsageError } from '../errors.js';
import { integratedShells, shellPaths } from '../shells/index.js';

/**
 * What install.sh needs from the shell records, as it can read it (POSIX sh cannot import
 * TypeScript): one line per integrated shell, `NAME<TAB>RC-FILE<TAB>INIT-LINE`, the rc file for
 * this environment and the init line naming `command` (the link install.sh made) by its quoted
 * path. Printed by the hidden `mfa-env init --rc-table PATH`; test/install.test.ts runs it.
 */
export function rcTable(env: NodeJS.ProcessEnv, command: string): string {
  // A tab or newline would split the table's lines; install.sh links into a directory the user names.
  if (/[\t\n]/.test(command)) throw new UsageError('the mfa-env path holds a tab or newline', 'Link mfa-env into a directory whose path has neither (MFA_ENV_BIN_DIR).');
  const paths = shellPaths(env);
  const rows = integratedShells().map((shell) => {
    const rcFile = shell.integration.rcFiles(paths)[0]!;
    if (/[\t\n]/.test(rcFile)) throw new UsageError(`the ${shell.name} rc file path holds a tab or newline: ${JSON.stringify(rcFile)}`, 'Set HOME, ZDOTDIR and XDG_CONFIG_HOME to paths without them.');
    return [shell.name, rcFile, shell.integration.guardedInitLine(shell.quote(command))].join('\t');
  });
  return `${rows.join('\n')}\n`;
}
