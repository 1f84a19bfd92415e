import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './sandbox.js';
import { INTEGRATED_SHELLS, SHELL_TABLE, type TestShell } from './shells.js';

/**
 * Real shells for the integration tests: the scripts `mfa-env init` prints, written to files and
 * run by bash/zsh/fish without any rc file, in a clean environment (the fnm e2e layout).
 */
/** The shells with an integration script, from the one shell table (test/helpers/shells.ts). */
export const SHELLS = INTEGRATED_SHELLS;
export type { TestShell };

/** Each shell without rc files, strict where the shell has a strict mode. */
export const STRICT_ARGS = Object.fromEntries(SHELLS.map((shell) => [shell, SHELL_TABLE[shell].strict])) as Record<TestShell, string[]>;

/** Each shell without rc files and without strict mode (for the user's-eye tests). */
export const PLAIN_ARGS = Object.fromEntries(SHELLS.map((shell) => [shell, SHELL_TABLE[shell].plain])) as Record<TestShell, string[]>;

/** Output of `mfa-env init SHELL [args]` from the built CLI. */
export async function initScript(shell: TestShell, args: string[] = []): Promise<string> {
  const result = await execa(process.execPath, [CLI, 'init', shell, ...args], { env: { PATH: process.env.PATH ?? '' }, extendEnv: false });
  return String(result.stdout) + '\n';
}

/** A scratch directory for script files, removed by `cleanup`. */
export function scratchDir(prefix = 'mfa-env-shell-'): { dir: string; write(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ShellRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the script file `path` in `shell` with exactly `env` (plus PATH when not given), without a
 * controlling terminal. fish reads the file as a script; bash and zsh too.
 */
export async function runShellFile(
  shell: TestShell,
  path: string,
  env: Record<string, string | undefined>,
  options: { strict?: boolean; timeout?: number } = {},
): Promise<ShellRun> {
  const args = options.strict === false ? PLAIN_ARGS[shell] : STRICT_ARGS[shell];
  const cleanEnv = Object.fromEntries(Object.entries({ PATH: process.env.PATH ?? '', ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const result = await execa(shell, [...args, path], {
    env: cleanEnv,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
    timeout: options.timeout ?? 60_000,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Drops the zero-width markers a prompt needs (bash \001 \002, zsh %{ %}) and zsh's `%%`. */
export function visibleSegment(text: string): string {
  return text.replace(/[\u0001\u0002]/g, '').replace(/%\{|%\}/g, '').replace(/%%/g, '%');
}

/** Seconds since the epoch, as the shells read it. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
