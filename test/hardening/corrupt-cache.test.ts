/**
 * Issue 6, item 5: a corrupt cache entry, whatever its shape, is one warning that names the
 * file, then a normal login (one STS call, exit 0) that replaces it. Never a crash (the
 * botocore#3106 trap: one bad cache file breaks every later run).
 */
import { execaSync } from 'execa';
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { modeOf, stsSandbox, warnings } from '../helpers/hardening.js';

let fake: FakeSts;
/** A real entry, written by a real login: shapes below are made from it. */
let valid: { version: number; fingerprint: string; session: Record<string, unknown> };

beforeAll(async () => {
  fake = await startFakeSts();
  const template = stsSandbox(fake);
  const result = await template.run(['login', '--shell', 'bash', '--token-code', '123456']);
  expect(result.exitCode, result.stderr).toBe(0);
  valid = JSON.parse(readFileSync(join(template.cacheDir, 'session-default.json'), 'utf8'));
  template.cleanup();
});
afterAll(async () => {
  await fake.close();
});

const withSession = (changes: Record<string, unknown>) => JSON.stringify({ ...valid, session: { ...valid.session, ...changes } });
const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** name → content of session-default.json, and what the warning must say about it. */
const SHAPES: Array<[string, () => string | Buffer, RegExp]> = [
  ['empty', () => '', /corrupt.*empty file/],
  ['whitespace only', () => '  \n\t\n', /corrupt.*empty file/],
  ['truncated JSON', () => JSON.stringify(valid).slice(0, 97), /corrupt.*not valid JSON/],
  ['binary garbage (NUL bytes, not UTF-8)', () => Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x00, 0xc3, 0x28, 0x0a]), /corrupt.*not valid JSON/],
  ['JSON null', () => 'null', /corrupt.*not a JSON object/],
  ['JSON array', () => '[1,2,3]', /corrupt/],
  ['JSON string', () => '"session"', /corrupt.*not a JSON object/],
  ['deeply nested arrays', () => '['.repeat(30_000) + ']'.repeat(30_000), /corrupt/],
  ['version is a string', () => JSON.stringify({ ...valid, version: '1' }), /corrupt.*unknown version/],
  ['fingerprint is a number', () => JSON.stringify({ ...valid, fingerprint: 5 }), /corrupt.*no fingerprint/],
  ['session is null', () => JSON.stringify({ ...valid, session: null }), /corrupt.*no session/],
  ['session is a string', () => JSON.stringify({ ...valid, session: 'x' }), /corrupt.*no session/],
  ['accessKeyId is a number', () => withSession({ accessKeyId: 123 }), /corrupt.*accessKeyId/],
  ['sessionToken missing', () => withSession({ sessionToken: undefined }), /corrupt.*sessionToken/],
  ['secretAccessKey empty', () => withSession({ secretAccessKey: '' }), /corrupt.*secretAccessKey/],
  ['expiration is a number', () => withSession({ expiration: 1_900_000_000 }), /corrupt.*expiration/],
  ['expiration is not a date', () => withSession({ expiration: 'tomorrow' }), /corrupt.*expiration is not a date/],
  ['kind is unknown', () => withSession({ kind: 'root' }), /corrupt.*kind/],
  ['region is an object', () => withSession({ region: { name: 'x' } }), /corrupt.*region/],
  ['__proto__ keys', () => `{"__proto__":{"version":1},"session":{"__proto__":{"profile":"default"}}}`, /corrupt/],
  ['another profile\'s entry', () => withSession({ profile: 'prod' }), /corrupt.*belongs to profile "prod"/],
  ['past expiry', () => withSession({ expiration: at(-3600_000) }), /not reusing the cached session in .*: it expired at /],
  ['less than 5 minutes left', () => withSession({ expiration: at(120_000) }), /not reusing the cached session in .*: it has only [12]m left/],
  ['huge file (10 MB)', () => `{"version":1,"pad":"${'x'.repeat(10 * 1024 * 1024)}"}`, /ignoring the cache entry .*: it is \d+ bytes/],
];

describe('a corrupt cache entry is a miss plus one warning naming the file', () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.cleanup());

  SHAPES.forEach(([name, content, warning], index) => {
    it(name, async () => {
      sandbox?.cleanup();
      sandbox = stsSandbox(fake);
      mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
      const entry = join(sandbox.cacheDir, 'session-default.json');
      writeFileSync(entry, content(), { mode: 0o600 });
      const callsBefore = fake.calls.length;

      const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', String(200_000 + index)]);

      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('unexpected error');
      const lines = warnings(result.stderr);
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toContain(entry);
      expect(lines[0]).toMatch(warning);
      expect(fake.calls.length - callsBefore).toBe(1);
      // A normal login: the session is exported, and the entry is replaced by a good one.
      const stored = JSON.parse(readFileSync(entry, 'utf8'));
      expect(result.stdout).toContain(`export AWS_ACCESS_KEY_ID='${stored.session.accessKeyId}'`);
      expect(result.stdout).toContain(stored.session.secretAccessKey);
      expect(modeOf(entry)).toBe(0o600);

      // …which the next login reuses, silently.
      const next = await sandbox.run(['login', '--shell', 'bash']);
      expect(next.exitCode, next.stderr).toBe(0);
      expect(warnings(next.stderr)).toEqual([]);
      expect(next.stdout).toBe(result.stdout);
      expect(fake.calls.length - callsBefore).toBe(1);
    });
  });
});

describe('something that is not a file at the entry path', () => {
  for (const [kind, make] of [
    ['a directory', (path: string) => mkdirSync(join(path, 'inside'), { recursive: true })],
    ['a FIFO', (path: string) => execaSync('mkfifo', [path])],
  ] as const) {
    it(`${kind}: never read (no hang), the login still succeeds and says so`, async () => {
      const sandbox = stsSandbox(fake);
      try {
        mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
        const entry = join(sandbox.cacheDir, 'session-default.json');
        make(entry);
        const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '300001'], { timeout: 20_000 });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stderr).not.toContain('unexpected error');
        expect(result.stdout).toMatch(/^(?:\\builtin )?\\?export AWS_SESSION_TOKEN=/m);
        const lines = warnings(result.stderr);
        expect(lines[0]).toBe(`mfa-env: warning: ignoring the cache entry ${entry}: it is not a regular file; logging in again`);
        // A FIFO is replaced by the new entry; a directory cannot be, and the login says it was not saved.
        if (lstatSync(entry).isFile()) expect(lines).toHaveLength(1);
        else expect(lines[1]).toMatch(new RegExp(`could not save the session in ${entry} \\(E\\w+\\); the next login will ask for a new code`));
      } finally {
        sandbox.cleanup();
      }
    });
  }
});

describe('an entry an older mfa-env wrote (issue 10, item 6)', () => {
  it('an older entry version is a quiet miss: no warning, one STS call, the entry rewritten in the current version', async () => {
    const sandbox = stsSandbox(fake);
    try {
      mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
      const entry = join(sandbox.cacheDir, 'session-default.json');
      // Otherwise valid and unexpired: only its version says it is from before an upgrade.
      writeFileSync(entry, JSON.stringify({ ...valid, version: valid.version - 1 }), { mode: 0o600 });
      const callsBefore = fake.calls.length;
      const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '310001']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(warnings(result.stderr), result.stderr).toEqual([]);
      expect(fake.calls.length - callsBefore).toBe(1);
      expect(JSON.parse(readFileSync(entry, 'utf8')).version).toBe(valid.version);
    } finally {
      sandbox.cleanup();
    }
  });
});
