import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { CLI, makeSandbox, type Sandbox } from './sandbox.js';
import { startFakeSts, type FakeSts } from './fake-sts.js';

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

type StsSandboxOptions = Parameters<typeof stsSandbox>[1];

/**
 * Registers the hooks of a file whose every test runs against its own loopback STS (answering
 * with `answer`, default: credentials) and its own stsSandbox: both made before each test,
 * closed and removed after it. Read `fake` and `sandbox` from the returned object inside tests.
 */
export function useStsSandbox(answer?: FakeSts['answer']): { readonly fake: FakeSts; readonly sandbox: Sandbox } {
  const sandboxes = trackStsSandboxes();
  let current: { fake: FakeSts; sandbox: Sandbox } | undefined;
  beforeEach(async () => {
    current = await sandboxes.start(answer);
  });
  return {
    get fake() {
      return current!.fake;
    },
    get sandbox() {
      return current!.sandbox;
    },
  };
}

/**
 * For tests that make their STS and sandbox themselves (each its own answer or config):
 * `start` makes them, and an afterEach registered here closes and removes what the test made.
 */
export function trackStsSandboxes(): { start(answer?: FakeSts['answer'], options?: StsSandboxOptions): Promise<{ fake: FakeSts; sandbox: Sandbox }> } {
  let fake: FakeSts | undefined;
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await fake?.close();
    sandbox?.cleanup();
    fake = sandbox = undefined;
  });
  return {
    async start(answer, options) {
      fake = await startFakeSts(answer);
      sandbox = stsSandbox(fake, options);
      return { fake, sandbox };
    },
  };
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
