/**
 * The one shell table of the tests, derived from the shell records in src/shells: every shell
 * mfa-env prints for, how a test starts it, and which have an integration script. A shell added
 * to the records without a row here is a type error (Record<ShellName, …>).
 */
import { integratedShells, SHELL_NAMES, type ShellName } from '../../src/shells/index.js';

export type { ShellName } from '../../src/shells/index.js';

export interface TestShellRow {
  /** The program to run. */
  command: string;
  /** No rc files, strict where the shell has a strict mode. */
  strict: string[];
  /** No rc files, no strict mode (the user's-eye tests). */
  plain: string[];
  /** An interactive shell for a terminal (tmux), no rc files. */
  interactive: string[];
}

const ROWS: Record<ShellName, TestShellRow> = {
  bash: { command: 'bash', strict: ['--noprofile', '--norc', '-eu', '-o', 'pipefail'], plain: ['--noprofile', '--norc'], interactive: ['bash', '--noprofile', '--norc'] },
  zsh: { command: 'zsh', strict: ['-f', '-eu'], plain: ['-f'], interactive: ['zsh', '-f'] },
  fish: { command: 'fish', strict: ['--no-config'], plain: ['--no-config'], interactive: ['fish', '--no-config'] },
  // /bin/sh (dash here); ENV=/dev/null keeps an interactive one from reading a startup file.
  sh: { command: 'sh', strict: ['-eu'], plain: [], interactive: ['sh', '-i'] },
};

/** Every shell mfa-env prints for (`login --shell`): the quoting fuzz and the emitters' tests. */
export const ALL_SHELLS: readonly ShellName[] = SHELL_NAMES;

/** A shell with an integration script; `sh` is the one record without (checked below). */
export type TestShell = Exclude<ShellName, 'sh'>;

/** The shells with an integration script (`mfa-env init`), as the records say. */
export const INTEGRATED_SHELLS = integratedShells().map((shell) => shell.name as TestShell);
if (INTEGRATED_SHELLS.length !== SHELL_NAMES.length - 1 || (INTEGRATED_SHELLS as string[]).includes('sh')) {
  throw new Error('test/helpers/shells.ts: TestShell no longer matches the records with an integration');
}

export const SHELL_TABLE: Readonly<Record<ShellName, TestShellRow>> = ROWS;
