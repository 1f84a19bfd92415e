/**
 * Issue 7: the structure that makes start-up cheap, asserted without timing anything (the
 * numbers are `npm run bench`'s job). Every run records the modules the process resolves
 * (test/helpers/record-modules.mjs: CommonJS requires and every ES import, lazy ones too).
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { CLI, makeSandbox, ROOT, type Sandbox } from './helpers/sandbox.js';

const RECORDER = pathToFileURL(join(ROOT, 'test', 'helpers', 'record-modules.mjs')).href;
const LOAD_LIST = join(ROOT, 'test', 'helpers', 'node-modules-at-exit.cjs');
/**
 * Node modules that building process.stdout/stderr/stdin for a pipe or terminal loads (net,
 * stream, tty), and crypto and fs/promises: none of them is needed to print a cached session.
 */
const HEAVY_NODE_MODULES = ['NativeModule net', 'NativeModule stream', 'NativeModule tty', 'NativeModule crypto', 'NativeModule internal/fs/promises'];
const SECRET = 'pErFtEsTsEcReT/0123456789abcdefghijKLMNO';
const CONFIG = '[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n';

/** The modules a login served from the cache must not load (the contract: they load lazily). */
const SLOW_MODULES = [/\/node_modules\/@aws-sdk\//, /\/node_modules\/@smithy\//, /\/node_modules\/execa\//, /\/node_modules\/proper-lockfile\//];

interface RecordedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Every module the process resolved: file paths, file: URLs, node: built-ins. */
  modules: string[];
}

let runs = 0;

function slow(modules: string[]): string[] {
  return modules.filter((module) => SLOW_MODULES.some((pattern) => pattern.test(module)));
}

/** `export NAME='value'` lines of `login --shell bash` as an object (the fake STS's values need no unquoting). */
function exported(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((match) => [match[1]!, match[2]!]));
}

describe('start-up structure (issue 7)', () => {
  let sts: FakeSts;
  let sandbox: Sandbox;
  let session: Record<string, string>;

  async function run(args: string[], env: Record<string, string> = {}): Promise<RecordedRun> {
    const log = join(sandbox.home, `modules-${++runs}.log`);
    const result = await execa(process.execPath, ['--import', RECORDER, CLI, ...args], {
      env: { ...sandbox.env, ...env, MFA_ENV_MODULE_LOG: log },
      extendEnv: false,
      input: '',
      reject: false,
      detached: true,
      timeout: 60_000,
    });
    const modules = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), modules };
  }

  /** The run's process.moduleLoadList, from a --require preload that loads nothing itself. */
  async function nodeModules(args: string[], env: Record<string, string> = {}): Promise<string[]> {
    const list = join(sandbox.home, `load-list-${++runs}.txt`);
    const result = await execa(process.execPath, ['--require', LOAD_LIST, CLI, ...args], {
      env: { ...sandbox.env, ...env, MFA_ENV_LOAD_LIST: list },
      extendEnv: false,
      input: '',
      reject: false,
      detached: true,
    });
    expect(result.exitCode, `${args.join(' ')}: ${String(result.stderr)}`).toBe(0);
    return readFileSync(list, 'utf8').split('\n');
  }

  beforeAll(async () => {
    sts = await startFakeSts();
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint });
    sandbox.writeCredentials(`[default]\naws_access_key_id = AKIAPERFTEST00000001\naws_secret_access_key = ${SECRET}\n`);
    sandbox.writeConfig(CONFIG);
  });
  afterAll(async () => {
    await sts?.close();
    sandbox?.cleanup();
  });

  it('a login that calls STS loads the SDK, the lock and the INI loader (the recorder sees lazy imports)', async () => {
    const first = await run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(sts.calls).toHaveLength(1);
    expect(first.modules).toContain('node:crypto');
    const loaded = slow(first.modules).join('\n');
    expect(loaded).toMatch(/\/node_modules\/@aws-sdk\/client-sts\//);
    expect(loaded).toMatch(/\/node_modules\/proper-lockfile\//);
    expect(loaded).toMatch(/\/node_modules\/@smithy\/core\//);
    session = exported(first.stdout);
    expect(session.MFA_ENV_PROFILE).toBe('default');
  });

  it('a login served from the cache loads none of @aws-sdk, @smithy, execa, proper-lockfile', async () => {
    const cached = await run(['login', '--shell', 'bash']);
    expect(cached.exitCode, cached.stderr).toBe(0);
    expect(cached.stderr).toContain('from the cache');
    expect(sts.calls).toHaveLength(1);
    expect(exported(cached.stdout)).toEqual(session);
    expect(slow(cached.modules)).toEqual([]);
    // Nor node:crypto (17 internal modules): the cache entry's fingerprint is compared as text.
    expect(cached.modules).not.toContain('node:crypto');
  });

  it('clear, status and prompt load none of them either', async () => {
    for (const args of [['clear', '--shell', 'bash'], ['status'], ['status', '--json'], ['prompt']]) {
      const result = await run(args, session);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout, args.join(' ')).not.toBe('');
      expect(slow(result.modules), args.join(' ')).toEqual([]);
    }
  });

  it('a cached login, clear, status and prompt build no stdio stream and load no crypto (Node modules at exit)', async () => {
    for (const args of [['login', '--shell', 'bash'], ['clear', '--shell', 'bash'], ['status'], ['prompt']]) {
      const loaded = await nodeModules(args, session);
      expect(loaded.filter((module) => HEAVY_NODE_MODULES.includes(module)), args.join(' ')).toEqual([]);
    }
    // The list does show them when they are used: help is printed through process.stdout.
    expect(await nodeModules(['--help'])).toContain('NativeModule net');
  });

  it('the installed command runs compiled JavaScript: package.json bin → bin/mfa-env.js → dist/*.cjs, no TypeScript, no tsx', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(ROOT, pkg.bin['mfa-env']!)).toBe(CLI);
    for (const [args, bundle] of [[['login', '--shell', 'bash'], 'login.cjs'], [['--version'], 'all.cjs']] as const) {
      expect(readFileSync(join(ROOT, 'dist', 'bundle', bundle), 'utf8')).toMatch(/^\/\/ mfa-env bundle [0-9a-f]{16}\n/);
      const result = await run([...args], session);
      expect(result.exitCode, result.stderr).toBe(0);
      const files = result.modules.filter((module) => !module.startsWith('node:')).map((module) => module.replace(/^file:\/\//, ''));
      // The dispatcher is required; it loads the bundle with require() or, with its code cache, vm.Script.
      expect(files).toContain(join(ROOT, 'dist', 'mfa-env.cjs'));
      expect(files.filter((file) => /\.[cm]?tsx?$/.test(file) || file.includes('/node_modules/tsx/') || file.startsWith(join(ROOT, 'src')))).toEqual([]);
    }
  });

  it('the bundles (edited clipanion) answer like the unbundled CLI', async () => {
    const unbundled = join(ROOT, 'test', 'helpers', 'run-unbundled.mjs');
    const argvs = [
      [], ['--help'], ['-h'], ['--version'], ['-v'], ['help'], ['logn'], ['LOGIN'],
      ['login', '--help'], ['login', '-h'], ['login', '--bogus'], ['login', 'extra'], ['login', '--shell'], ['login', '--version'],
      ['login', '-p'], ['login', '-p', 'nope', '-s', 'nope'], ['login', '--profile=nope', '--duration', '5s'], ['login', '-fs', 'bash', '-t', '12'],
      ['clear', '--help'], ['clear', 'x', 'y'], ['status', '--jsn'], ['prompt', 'extra'], ['exec'], ['credential-process'],
      ['init'], ['init', 'bashx'], ['policy', '--max-age'], ['setup', '--help'], ['doctor', '--help'], ['--profile', 'x', 'login'],
    ];
    for (const argv of argvs) {
      const [bundled, plain] = await Promise.all(
        [CLI, unbundled].map((entry) => execa(process.execPath, [entry, ...argv], { env: sandbox.env, extendEnv: false, input: '', reject: false })),
      );
      const answer = (result: NonNullable<typeof bundled>) => ({ exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) });
      expect(answer(bundled!), argv.join(' ')).toEqual(answer(plain!));
    }
  });

  it('an edit to the AWS config is noticed even with the same size and the old mtime put back', async () => {
    const before = statSync(sandbox.configFile);
    writeFileSync(sandbox.configFile, CONFIG.replace('eu-west-1', 'eu-west-2'));
    utimesSync(sandbox.configFile, before.atime, before.mtime);
    expect(statSync(sandbox.configFile).size).toBe(before.size);

    const result = await run(['login', '--shell', 'bash', '--token-code', '234567']);
    expect(result.exitCode, result.stderr).toBe(0);
    // A stale view of the profile would have reused the eu-west-1 session without asking STS.
    expect(exported(result.stdout).AWS_REGION).toBe('eu-west-2');
    expect(sts.calls).toHaveLength(2);
    expect(slow(result.modules).join('\n')).toMatch(/\/node_modules\/@smithy\/core\//);

    const again = await run(['login', '--shell', 'bash']);
    expect(again.stderr).toContain('from the cache');
    expect(exported(again.stdout).AWS_REGION).toBe('eu-west-2');
    expect(slow(again.modules)).toEqual([]);
  });

  it('no file in the cache dir holds the long-term secret key', () => {
    const files = readdirSync(sandbox.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const path = join(sandbox.cacheDir, name);
      if (statSync(path).isFile()) expect(readFileSync(path, 'utf8'), name).not.toContain(SECRET);
    }
  });
});
