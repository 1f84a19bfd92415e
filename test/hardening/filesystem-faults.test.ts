/**
 * Issue 15, item 10: faults of the user's machine — no permission on ~/.aws or the cache dir,
 * HOME unset or not writable, a read-only or full disk — were "unexpected error … a bug in
 * mfa-env". Each is named with its path and the fix; a cache that cannot be written is a
 * warning and the login still prints the session. Permission faults run as uid 65534 (root
 * passes every permission check); read-only and full disks are small tmpfs mounts (root).
 */
import { execa, execaSync } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { CLI, type RunResult, type Sandbox } from '../helpers/sandbox.js';
import { exportsOf } from '../helpers/aws-files.js';
import { stsSandbox, warnings } from '../helpers/hardening.js';

const NOBODY = 65534;
let fake: FakeSts;
let sandbox: Sandbox;
const mounts: string[] = [];

beforeEach(async () => {
  fake = await startFakeSts(() => ({ kind: 'credentials' }));
  sandbox = stsSandbox(fake);
});
afterEach(async () => {
  await fake.close();
  for (const dir of mounts.splice(0)) execaSync('umount', [dir], { reject: false });
  sandbox.cleanup();
});

/** The CLI as uid 65534 over a sandbox it owns; `env` values undefined are removed (HOME unset). */
async function asNobody(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.home]);
  const merged = Object.fromEntries(Object.entries({ ...sandbox.env, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const result = await execa(process.execPath, [CLI, ...args], { env: merged, extendEnv: false, uid: NOBODY, gid: NOBODY, reject: false, detached: true, input: '' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A tmpfs of `size` at `dir` (made), `ro` for a read-only one. */
function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  const result = execaSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { reject: false });
  expect(result.exitCode, `mount needs root: ${String(result.stderr)}`).toBe(0);
  mounts.unshift(dir);
}

const login = ['login', '--shell', 'bash', '--token-code', '123456'];

function expectNoBugReport(result: RunResult) {
  expect(result.stderr).not.toMatch(/unexpected error|a bug in mfa-env/);
}

async function expectSessionDespiteCache(result: RunResult, cause: RegExp) {
  expect(result.exitCode, result.stderr).toBe(0);
  expectNoBugReport(result);
  expect((await exportsOf(result.stdout)).AWS_SESSION_TOKEN).toMatch(/^FwoG/);
  const said = warnings(result.stderr);
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(/could not save the session in .*mfa-env\/session-default\.json/);
  expect(said[0]).toMatch(cause);
  expect(fake.calls).toHaveLength(1);
}

describe('permission faults (as uid 65534)', () => {
  it('~/.aws without permission: names the file and the fix, no STS call, not "profile not found"', async () => {
    chmodSync(join(sandbox.home, '.aws'), 0o755);
    execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.home]);
    chmodSync(join(sandbox.home, '.aws'), 0o000);
    const result = await asNobody(login);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expectNoBugReport(result);
    expect(result.stderr).toContain(`cannot read ${sandbox.configFile}: permission denied (EACCES)`);
    expect(result.stderr).toContain('AWS_CONFIG_FILE');
    expect(result.stderr).not.toContain('is not in');
    expect(fake.calls).toHaveLength(0);
  });

  it('a cache dir whose parent is not writable: a warning naming it and XDG_CACHE_HOME, the session on stdout', async () => {
    mkdirSync(sandbox.cacheHome);
    execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.home]);
    chmodSync(sandbox.cacheHome, 0o500);
    const result = await asNobody(login);
    await expectSessionDespiteCache(result, /permission denied \(EACCES\).*XDG_CACHE_HOME/);
  });

  it('HOME not writable (HOME=/, no XDG_CACHE_HOME): the session on stdout, one warning', async () => {
    const result = await asNobody(login, { HOME: '/', XDG_CACHE_HOME: undefined });
    await expectSessionDespiteCache(result, /\/\.cache\/mfa-env.*permission denied/);
  });

  it('HOME unset (the passwd home of uid 65534 does not exist): the session on stdout, one warning', async () => {
    const result = await asNobody(login, { HOME: undefined, XDG_CACHE_HOME: undefined });
    await expectSessionDespiteCache(result, /permission denied|read-only/);
  });

  it('~/.aws not writable for --write-profile: refused before any STS call, naming the directory', async () => {
    execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.home]);
    chmodSync(join(sandbox.home, '.aws'), 0o500);
    const result = await asNobody([...login, '--write-profile', 'mfa']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expectNoBugReport(result);
    expect(result.stderr).toContain(`cannot create a file in ${join(sandbox.home, '.aws')}: permission denied (EACCES)`);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('read-only and full disks (tmpfs, as root)', () => {
  it('the cache on a read-only filesystem: a warning that says so, the session on stdout', async () => {
    mountTmpfs(sandbox.cacheHome, 'ro,size=1m');
    const result = await sandbox.run(login);
    await expectSessionDespiteCache(result, /read-only \(EROFS\)/);
  });

  it('the cache on a full disk: a warning that says so, the session on stdout, no temp file left', async () => {
    mountTmpfs(sandbox.cacheHome, 'size=64k,mode=0700');
    mkdirSync(sandbox.cacheDir, { mode: 0o700 });
    // Fill it up to the last block.
    execaSync('sh', ['-c', `dd if=/dev/zero of='${join(sandbox.cacheHome, 'filler')}' bs=4k 2>/dev/null; true`]);
    const result = await sandbox.run(login);
    await expectSessionDespiteCache(result, /no space left on the device \(ENOSPC\)/);
    expect(readdirSync(sandbox.cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('--write-profile onto a full disk: the error names the credentials file, which is left as it was', async () => {
    const aws = join(sandbox.home, '.aws');
    const before = readFileSync(sandbox.credentialsFile, 'utf8');
    mountTmpfs(aws, 'size=64k,mode=0700');
    writeFileSync(sandbox.credentialsFile, before, { mode: 0o600 });
    sandbox.writeConfig('[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n');
    execaSync('sh', ['-c', `dd if=/dev/zero of='${join(aws, 'filler')}' bs=4k 2>/dev/null; true`]);
    const result = await sandbox.run([...login, '--write-profile', 'mfa']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expectNoBugReport(result);
    expect(result.stderr).toContain(`${sandbox.credentialsFile}: no space left on the device (ENOSPC)`);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(before);
    expect(readdirSync(aws).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('doctor and a cache dir that cannot be used', () => {
  /** doctor's cache-dir line: its verdict and text (`fix:` included). */
  function cacheDirLine(result: RunResult): { verdict: string; text: string } {
    expectNoBugReport(result);
    const match = /^(pass|warn|fail) {2}cache-dir: (.*)$/m.exec(result.stdout);
    expect(match, result.stdout + result.stderr).not.toBeNull();
    return { verdict: match![1]!, text: match![2]! };
  }

  it('HOME=/ without XDG_CACHE_HOME (as uid 65534): fail, naming the path, the fault and XDG_CACHE_HOME', async () => {
    const line = cacheDirLine(await asNobody(['doctor'], { HOME: '/', XDG_CACHE_HOME: undefined }));
    expect(line.verdict).toBe('fail');
    expect(line.text).toMatch(/^the cache dir \/\.cache\/mfa-env cannot be used: could not create .*: permission denied \(EACCES\)/);
    expect(line.text).toContain('XDG_CACHE_HOME');
  });

  it('a cache dir whose parent is not writable (as uid 65534): fail, the same words as login\'s warning', async () => {
    mkdirSync(sandbox.cacheHome);
    execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, sandbox.home]);
    chmodSync(sandbox.cacheHome, 0o500);
    const line = cacheDirLine(await asNobody(['doctor']));
    expect(line.verdict).toBe('fail');
    expect(line.text).toContain(`the cache dir ${sandbox.cacheDir} cannot be used: could not create the directory ${sandbox.cacheDir}: permission denied (EACCES) — fix: Check the owner and mode`);
    expect(readdirSync(sandbox.cacheHome)).toEqual([]);
  });

  it('a read-only filesystem, with the cache dir missing or there: fail, read-only (EROFS)', async () => {
    mountTmpfs(sandbox.cacheHome, 'ro,size=1m');
    const missing = cacheDirLine(await sandbox.run(['doctor']));
    expect(missing).toMatchObject({ verdict: 'fail' });
    expect(missing.text).toContain(`the cache dir ${sandbox.cacheDir} cannot be used: could not create the directory ${sandbox.cacheDir}: the filesystem is read-only (EROFS) — fix: Remount it read-write`);
    execaSync('mount', ['-o', 'remount,rw', sandbox.cacheHome]);
    mkdirSync(sandbox.cacheDir, { mode: 0o700 });
    execaSync('mount', ['-o', 'remount,ro', sandbox.cacheHome]);
    const there = cacheDirLine(await sandbox.run(['doctor']));
    expect(there.verdict).toBe('fail');
    expect(there.text).toMatch(new RegExp(`^the cache dir ${sandbox.cacheDir} cannot be used: .*read-only \\(EROFS\\)`));
  });

  it('a full disk: fail, no space left (ENOSPC), no probe or temp file left', async () => {
    mountTmpfs(sandbox.cacheHome, 'size=64k,mode=0700');
    mkdirSync(sandbox.cacheDir, { mode: 0o700 });
    execaSync('sh', ['-c', `dd if=/dev/zero of='${join(sandbox.cacheHome, 'filler')}' bs=4k 2>/dev/null; true`]);
    const line = cacheDirLine(await sandbox.run(['doctor']));
    expect(line.verdict).toBe('fail');
    expect(line.text).toContain('no space left on the device (ENOSPC)');
    expect(readdirSync(sandbox.cacheDir)).toEqual([]);
  });

  it('a cache dir that can be made: pass, and doctor leaves nothing behind (not even the dir)', async () => {
    const line = cacheDirLine(await sandbox.run(['doctor']));
    expect(line.verdict).toBe('pass');
    expect(line.text).toContain('does not exist yet');
    expect(existsSync(sandbox.cacheHome)).toBe(false);
  });
});
