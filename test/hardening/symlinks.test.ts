/**
 * Issue 6, item 3: hostile files in the cache dir. A symlink planted at the cache path, at
 * used-codes.json or at a temp file's name is never followed (its target keeps its content
 * and mode); a cache dir others can write to, or that another user owns, is refused with the fix.
 */
import { execa, execaSync } from 'execa';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { CLI, type Sandbox } from '../helpers/sandbox.js';
import { modeOf, stsSandbox, warnings } from '../helpers/hardening.js';

// writeFileAtomic names its temp file with randomBytes: forcing the bytes lets a test plant a
// link at exactly the name it will pick.
const forcedRandom = vi.hoisted(() => [] as Buffer[]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return { ...crypto, randomBytes: (size: number) => forcedRandom.shift() ?? crypto.randomBytes(size) };
});
const { writeFileAtomic } = await import('../../src/store/files.js');

const NOBODY = 65534;
let fake: FakeSts;
let sandbox: Sandbox;
let precious: string;

beforeEach(async () => {
  fake = await startFakeSts();
  sandbox = stsSandbox(fake);
  // What an attacker would like overwritten or read: a file outside the cache dir.
  precious = join(sandbox.home, 'precious.txt');
  writeFileSync(precious, 'do not touch\n');
  chmodSync(precious, 0o644);
});
afterEach(async () => {
  await fake.close();
  sandbox.cleanup();
});

function expectUntouched(path: string, content: string, mode: number) {
  expect(readFileSync(path, 'utf8')).toBe(content);
  expect(modeOf(path)).toBe(mode);
}

describe('symlinks in the cache dir are never followed', () => {
  it('a link at the cache entry and at used-codes.json: not read, not written through; replaced by a 0600 file', async () => {
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    const entry = join(sandbox.cacheDir, 'session-default.json');
    const usedCodes = join(sandbox.cacheDir, 'used-codes.json');
    symlinkSync(precious, entry);
    symlinkSync(precious, usedCodes);

    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(warnings(result.stderr)).toEqual([`mfa-env: warning: ignoring the cache entry ${entry}: it is a symbolic link; logging in again`]);
    expect(fake.calls).toHaveLength(1);
    expectUntouched(precious, 'do not touch\n', 0o644);
    for (const path of [entry, usedCodes]) {
      expect(lstatSync(path).isFile(), `${path} is still a link`).toBe(true);
      expect(modeOf(path)).toBe(0o600);
    }
    expect(JSON.parse(readFileSync(entry, 'utf8')).session.accessKeyId).toMatch(/^ASIAFAKE/);
  });

  it('a link to a valid session entry is not used as the cache (an STS call is made), and the entry it points to is unchanged', async () => {
    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);
    const entry = join(sandbox.cacheDir, 'session-default.json');
    const elsewhere = join(sandbox.home, 'planted-session.json');
    renameSync(entry, elsewhere);
    const planted = readFileSync(elsewhere, 'utf8');
    symlinkSync(elsewhere, entry);

    const second = await sandbox.run(['login', '--shell', 'bash', '--token-code', '234567']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain('it is a symbolic link');
    expect(second.stderr).not.toContain('from the cache');
    expect(fake.calls).toHaveLength(2);
    expectUntouched(elsewhere, planted, 0o600);
    expect(lstatSync(entry).isSymbolicLink()).toBe(false);
  });

  it('a link planted at the temp file name about to be used is not followed: another name is taken', () => {
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    const target = join(sandbox.cacheDir, 'session-default.json');
    const taken = Buffer.from('a1a1a1a1a1a1', 'hex');
    const trap = join(sandbox.cacheDir, `.session-default.json.${process.pid}.${taken.toString('hex')}.tmp`);
    symlinkSync(precious, trap);
    forcedRandom.push(taken);

    writeFileAtomic(target, 'new content\n');

    expect(forcedRandom, 'writeFileAtomic did not use the forced name').toHaveLength(0);
    expectUntouched(precious, 'do not touch\n', 0o644);
    expect(readFileSync(target, 'utf8')).toBe('new content\n');
    expect(modeOf(target)).toBe(0o600);
    // Ours (this pid is alive): left as it was, still pointing where it pointed.
    expect(readlinkSync(trap)).toBe(precious);
  });

  it('a link at the temp file name of a dead writer is removed by the next write, its target untouched', async () => {
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    const dead = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const trap = join(sandbox.cacheDir, `.session-default.json.${dead.stdout}.b2b2b2b2b2b2.tmp`);
    symlinkSync(precious, trap);

    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(() => lstatSync(trap)).toThrow(/ENOENT/);
    expectUntouched(precious, 'do not touch\n', 0o644);
  });
});

describe('a cache dir others could write to is refused', () => {
  for (const mode of [0o777, 0o770, 0o702]) {
    it(`mode ${mode.toString(8)}: refused with the chmod fix, also for a session already cached there; nothing printed, no STS call`, async () => {
      const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
      expect(first.exitCode, first.stderr).toBe(0);
      chmodSync(sandbox.cacheDir, mode);

      const result = await sandbox.run(['login', '--shell', 'bash']);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`the cache dir ${sandbox.cacheDir} is writable by other users (mode ${mode.toString(8)})`);
      expect(result.stderr).toContain(`Fix it with: chmod 700 '${sandbox.cacheDir}'`);
      expect(fake.calls).toHaveLength(1);
      expect(modeOf(sandbox.cacheDir)).toBe(mode);
    });
  }

  it('readable by others (0755, e.g. from an old tool) is tightened to 0700 on the next write', async () => {
    mkdirSync(sandbox.cacheDir, { recursive: true });
    chmodSync(sandbox.cacheDir, 0o755);
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(modeOf(sandbox.cacheDir)).toBe(0o700);
  });

  it('owned by another user (uid 65534, checked as root): refused with the fix, nothing printed, no STS call', async () => {
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    chownSync(sandbox.cacheDir, NOBODY, NOBODY);
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`the cache dir ${sandbox.cacheDir} is owned by uid ${NOBODY}, not by you (uid 0)`);
    expect(result.stderr).toContain('point XDG_CACHE_HOME at a directory of your own');
    expect(fake.calls).toHaveLength(0);
  });

  it('run as uid 65534: a root-owned cache dir is refused, its own cache dir is used', async () => {
    const asNobody = (env: Record<string, string> = {}) =>
      execa(process.execPath, [CLI, 'login', '--shell', 'bash', '--token-code', '123456'], {
        env: { ...sandbox.env, ...env },
        extendEnv: false,
        uid: NOBODY,
        gid: NOBODY,
        reject: false,
        detached: true,
        input: '',
      });
    // The sandbox belongs to nobody, except a cache dir root made (and may read it, 0755).
    execaSyncChown(sandbox.home);
    const rootsCache = join(sandbox.home, 'roots-cache');
    mkdirSync(join(rootsCache, 'mfa-env'), { recursive: true, mode: 0o755 });
    chmodSync(join(rootsCache, 'mfa-env'), 0o755);

    const refused = await asNobody({ XDG_CACHE_HOME: rootsCache });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(String(refused.stderr)).toContain(`the cache dir ${join(rootsCache, 'mfa-env')} is owned by uid 0, not by you (uid ${NOBODY})`);
    expect(fake.calls).toHaveLength(0);

    const own = await asNobody();
    expect(own.exitCode, String(own.stderr)).toBe(0);
    expect(lstatSync(sandbox.cacheDir).uid).toBe(NOBODY);
    expect(fake.calls).toHaveLength(1);
  });
});

/** chown -R nobody: the whole sandbox, so the CLI can run as that user. */
function execaSyncChown(path: string) {
  const result = execaSync('chown', ['-R', `${NOBODY}:${NOBODY}`, path], { reject: false });
  expect(result.exitCode, String(result.stderr)).toBe(0);
}
