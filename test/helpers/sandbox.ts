import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The installed command: compiled JavaScript (npm test builds it first). */
export const CLI = join(ROOT, 'bin', 'mfa-env.js');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A scratch HOME with its own AWS files and cache, and a clean environment: nothing from the
 * developer's machine (no AWS_* variables, no real ~/.aws) leaks into a test.
 */
export interface Sandbox {
  home: string;
  configFile: string;
  credentialsFile: string;
  cacheHome: string;
  /** mfa-env's cache dir inside the sandbox (env-paths: $XDG_CACHE_HOME/mfa-env). */
  cacheDir: string;
  env: Record<string, string>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
  /** Runs the built CLI with the sandbox env (plus `env`), no controlling terminal. */
  run(args: string[], options?: { env?: Record<string, string | undefined>; input?: string; timeout?: number }): Promise<RunResult>;
  cleanup(): void;
}

export function makeSandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const home = mkdtempSync(join(tmpdir(), 'mfa-env-test-'));
  const configFile = join(home, '.aws', 'config');
  const credentialsFile = join(home, '.aws', 'credentials');
  const cacheHome = join(home, '.cache');
  mkdirSync(join(home, '.aws'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: cacheHome,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    // Keep stray proxies and the SDK's IMDS lookups from reaching beyond loopback.
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_PROXY: '*',
    LANG: 'C.UTF-8',
    ...extraEnv,
  };
  const sandbox: Sandbox = {
    home,
    configFile,
    credentialsFile,
    cacheHome,
    cacheDir: join(cacheHome, 'mfa-env'),
    env,
    writeConfig: (text) => writeFileSync(configFile, text),
    writeCredentials: (text) => writeFileSync(credentialsFile, text, { mode: 0o600 }),
    run: (args, options = {}) => runCli(args, { ...env, ...options.env }, options),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
  return sandbox;
}

export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  options: { input?: string; timeout?: number } = {},
): Promise<RunResult> {
  const cleanEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const result = await execa(process.execPath, [CLI, ...args], {
    env: cleanEnv,
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
    // setsid: no controlling terminal, so a prompt on /dev/tty fails fast instead of hanging.
    detached: true,
    timeout: options.timeout ?? 60_000,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
