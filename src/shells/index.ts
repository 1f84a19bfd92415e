import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { bash } from './bash.js';
import { fish } from './fish.js';
import { sh } from './sh.js';
import { isShellName, SHELL_NAMES, type Shell, type ShellIntegration, type ShellName, type ShellPaths } from './shell.js';
import { zsh } from './zsh.js';

export type { Shell, ShellIntegration, ShellName, ShellPaths } from './shell.js';
export { isShellName, SHELL_NAMES } from './shell.js';

/** Every shell's record, by name (the type makes a name without a record a compile error). */
export const SHELLS: Readonly<Record<ShellName, Shell>> = { bash, zsh, fish, sh };

/** A shell with an integration script. */
export type IntegratedShell = Shell & { readonly integration: ShellIntegration };

/** The shells with an integration script in shell/, in SHELL_NAMES order. */
export function integratedShells(): IntegratedShell[] {
  return SHELL_NAMES.map((name) => SHELLS[name]).filter((shell): shell is IntegratedShell => shell.integration !== undefined);
}

/** The integrated shell of that name, or undefined (e.g. `sh`, or a typo). */
export function integratedShell(name: string): IntegratedShell | undefined {
  return integratedShells().find((shell) => shell.name === name);
}

/** Where the rc files are, from the environment (XDG_CONFIG_HOME and ZDOTDIR as the shells read them). */
export function shellPaths(env: NodeJS.ProcessEnv): ShellPaths {
  const home = env.HOME || homedir();
  return { home, config: env.XDG_CONFIG_HOME || join(home, '.config'), zdotdir: env.ZDOTDIR || home };
}

/**
 * The shell to print for: `--shell` when given, else the shell that runs us (our parent
 * process: inside `eval "$(mfa-env login)"` that is the shell's command-substitution child),
 * else POSIX sh, whose syntax bash and zsh also accept.
 */
export function resolveShell(flag: string | undefined): Shell {
  if (flag !== undefined) {
    if (!isShellName(flag)) {
      throw new UsageError(`unknown shell "${flag}"`, `Use --shell with one of: ${SHELL_NAMES.join(', ')}.`);
    }
    return SHELLS[flag];
  }
  return parentShell() ?? sh;
}

/** The record whose process names include `name` (a basename, `-bash` for a login shell). */
export function shellByProcessName(name: string): Shell | undefined {
  const bare = basename(name.replace(/^-/, ''));
  return SHELL_NAMES.map((shellName) => SHELLS[shellName]).find((shell) => shell.processNames.includes(bare));
}

function parentShell(): Shell | undefined {
  try {
    // Linux: one read, no child process. Elsewhere we fall back to sh rather than spawn `ps`.
    return shellByProcessName(readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim());
  } catch {
    return undefined;
  }
}
