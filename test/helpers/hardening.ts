import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, makeSandbox, type Sandbox } from './sandbox.js';
import type { FakeSts } from './fake-sts.js';

/** Long-term keys of the sandbox's IAM user: they must never appear in any output. */
export const ACCESS_KEY_ID = 'AKIAHARDENINGTEST001';
export const SECRET_ACCESS_KEY = 'hArDeNiNgSeCrEt/0123456789abcdefghijKLMN';
export const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

/**
 * A sandbox whose STS is `fake`: [default] holds long-term keys and mfa_serial, and `extra`
 * config sections can add profiles (e.g. a second profile on the same device).
 */
export function stsSandbox(fake: Pick<FakeSts, 'endpoint'>, options: { extraConfig?: string; env?: Record<string, string> } = {}): Sandbox {
  const sandbox = makeSandbox({ AWS_ENDPOINT_URL: fake.endpoint, ...options.env });
  sandbox.writeCredentials(`[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`);
  sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = ${SERIAL}\n${options.extraConfig ?? ''}`);
  return sandbox;
}

/** Temp files writeFileAtomic left in `dir` (`.<name>.<pid>.<hex>.tmp`). */
export function tempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

/** Permission bits of `path`, e.g. 0o600. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/** name → content of the session entries in `dir` (what "the cache" is to a user). */
export function sessionEntries(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => /^session-.*\.json$/.test(name))
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

/** Lines of `stderr` that are warnings. */
export function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.includes('warning:'));
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 25 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Starts the built CLI like Sandbox.run (clean env, no controlling terminal) but returns the
 * running process, for tests that watch or kill it mid-call.
 */
export function spawnCli(sandbox: Sandbox, args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return execa(process.execPath, [CLI, ...args], {
    env: { ...sandbox.env, ...options.env },
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
    detached: true,
    timeout: 120_000,
    stripFinalNewline: false,
  });
}
