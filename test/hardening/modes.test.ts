/**
 * Issue 6, item 4: file modes. Under umask 000, and over files that exist with looser modes,
 * everything mfa-env writes is 0600 and every directory it makes is 0700: the cache dir, its
 * entries, used-codes.json, the lock dir while it is held, and the credentials file written by
 * `login --write-profile`.
 */
import { execa } from 'execa';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { CLI, type RunResult, type Sandbox } from '../helpers/sandbox.js';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, SERIAL, modeOf, stsSandbox } from '../helpers/hardening.js';

let fake: FakeSts;
let sandbox: Sandbox;
/** Mode of the lock dir, seen from inside the STS call (i.e. while the login holds it). */
let lockModeDuringCall: number | undefined;

beforeEach(async () => {
  lockModeDuringCall = undefined;
  fake = await startFakeSts(() => {
    const lock = join(sandbox.cacheDir, 'login-default.lock');
    if (existsSync(lock)) lockModeDuringCall = modeOf(lock);
    return { kind: 'credentials' };
  });
  sandbox = stsSandbox(fake);
});
afterEach(async () => {
  await fake.close();
  sandbox.cleanup();
});

/** The CLI run by a shell that first sets umask 000: nothing is masked off for us. */
async function loginUnderUmask000(args: string[]): Promise<RunResult> {
  const result = await execa('sh', ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, CLI, 'login', '--shell', 'bash', ...args], {
    env: sandbox.env,
    extendEnv: false,
    reject: false,
    detached: true,
    input: '',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** path → mode of everything under `dir` (recursively), `dir` itself included. */
function modesUnder(dir: string): Record<string, number> {
  const modes: Record<string, number> = { [dir]: modeOf(dir) };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(modes, modesUnder(path));
    else modes[path] = modeOf(path);
  }
  return modes;
}

function expectTight(dir: string) {
  for (const [path, mode] of Object.entries(modesUnder(dir))) {
    const expected = statSync(path).isDirectory() ? 0o700 : 0o600;
    expect(mode.toString(8), path).toBe(expected.toString(8));
  }
}

describe('modes under umask 000', () => {
  it('from nothing: XDG_CACHE_HOME and the cache dir 0700, entry and used-codes.json 0600, the lock dir 0700 while held', async () => {
    const result = await loginUnderUmask000(['--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    // Under umask 000 the check below would catch any file created with a default mode.
    const umask = await execa('sh', ['-c', 'umask 000 && umask']);
    expect(umask.stdout).toMatch(/^0*$/);
    expect(lockModeDuringCall?.toString(8)).toBe('700');
    const written = Object.keys(modesUnder(sandbox.cacheDir)).map((path) => path.slice(sandbox.cacheDir.length));
    expect(written).toEqual(expect.arrayContaining(['', '/session-default.json', '/used-codes.json']));
    // Every file and dir there, whatever else a login keeps in the cache dir.
    expectTight(sandbox.cacheHome);
  });

  it('over a 0644 entry, a 0666 used-codes.json and a 0755 cache dir: all tightened by the next write', async () => {
    const first = await loginUnderUmask000(['--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);
    chmodSync(sandbox.cacheDir, 0o755);
    chmodSync(join(sandbox.cacheDir, 'session-default.json'), 0o644);
    chmodSync(join(sandbox.cacheDir, 'used-codes.json'), 0o666);

    const again = await loginUnderUmask000(['--force', '--token-code', '234567']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.calls).toHaveLength(2);
    expectTight(sandbox.cacheDir);
  });
});

describe('login --write-profile under umask 000', () => {
  it('a credentials file that was 0644 is written back 0600, with the session in [mfa]', async () => {
    chmodSync(sandbox.credentialsFile, 0o644);
    const result = await loginUnderUmask000(['--token-code', '123456', '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(modeOf(sandbox.credentialsFile).toString(8)).toBe('600');
    const text = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(text).toContain(`aws_secret_access_key = ${SECRET_ACCESS_KEY}`); // [default] kept
    expect(text).toMatch(/\[mfa\]\naws_access_key_id = ASIAFAKE/);
    expectTight(sandbox.cacheDir);
  });

  it('a credentials file that does not exist yet is created 0600, in a new 0700 directory', async () => {
    // The long-term keys live in the config file here, so the credentials file can be new.
    sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = ${SERIAL}\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`);
    const awsDir = join(sandbox.home, 'new-aws-dir');
    const credentials = join(awsDir, 'credentials');
    sandbox.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    const result = await loginUnderUmask000(['--token-code', '123456', '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(modeOf(awsDir).toString(8)).toBe('700');
    expect(modeOf(credentials).toString(8)).toBe('600');
    expect(readFileSync(credentials, 'utf8')).toMatch(/^\[mfa\]\naws_access_key_id = ASIAFAKE/);
  });
});
