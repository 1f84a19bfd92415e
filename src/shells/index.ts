import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { fish } from './fish.js';
import { bash, sh, zsh } from './posix.js';
import { isShellName, SHELL_NAMES, type Shell, type ShellName } from './shell.js';

export type { Shell, ShellName } from './shell.js';

const SHELLS: Record<ShellName, Shell> = { bash, zsh, fish, sh };

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
  const parent = parentShellName();
  return parent ? SHELLS[parent] : sh;
}

function parentShellName(): ShellName | undefined {
  let command: string;
  try {
    // Linux: one read, no child process. Elsewhere we fall back to sh rather than spawn `ps`.
    command = readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
  const name = basename(command.replace(/^-/, ''));
  if (isShellName(name)) return name;
  if (name === 'dash' || name === 'ash' || name === 'ksh' || name === 'mksh') return 'sh';
  return undefined;
}
