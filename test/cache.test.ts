import { execa } from 'execa';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeStsSandbox } from './helpers/fake-sts.js';
import { CLI } from './helpers/sandbox.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
let codeCounter = 420000;
const nextCode = () => String(codeCounter++);

describe('session cache', () => {
  const suite = useFakeStsSandbox({
    credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n',
    config: `[default]\nmfa_serial = ${SERIAL}\n`,
  });
  const entryFile = () => join(suite.sandbox.cacheDir, 'session-default.json');

  it('a second login reuses the session: zero STS calls, same statements, no code needed', async () => {
    const first = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(1);
    const second = await suite.sandbox.run(['login', '--shell', 'bash']); // no code: there is no terminal either
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/from the cache/);
    expect(suite.sts.calls).toHaveLength(1);
  });

  it('--force skips the cache', async () => {
    await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    const forced = await suite.sandbox.run(['login', '--shell', 'bash', '--force', '--token-code', nextCode()]);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(2);
  });

  it('10 parallel logins ask STS once and print identical statements', async () => {
    // Slow answers make the logins overlap for real.
    suite.sts.answer = async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { kind: 'credentials' };
    };
    const code = nextCode();
    const results = await Promise.all(Array.from({ length: 10 }, () => suite.sandbox.run(['login', '--shell', 'bash', '--token-code', code])));
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(1);
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
  });

  it('under umask 000, with an existing 0644 entry: dir 0700, files 0600', async () => {
    const runUnderUmask000 = (code: string) =>
      execa('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, CLI, 'login', '--shell', 'bash', '--force', '--token-code', code], {
        env: suite.sandbox.env,
        extendEnv: false,
        reject: false,
        detached: true,
      });
    const first = await runUnderUmask000(nextCode());
    expect(first.exitCode, String(first.stderr)).toBe(0);
    expect(statSync(suite.sandbox.cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(entryFile()).mode & 0o777).toBe(0o600);
    chmodSync(entryFile(), 0o644);
    const second = await runUnderUmask000(nextCode());
    expect(second.exitCode, String(second.stderr)).toBe(0);
    for (const name of readdirSync(suite.sandbox.cacheDir)) {
      const mode = statSync(join(suite.sandbox.cacheDir, name)).mode & 0o777;
      expect([name, mode.toString(8)]).toEqual([name, '600']);
    }
  });

  it('garbage in the cache file: one warning naming the file, then a normal login', async () => {
    await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    writeFileSync(entryFile(), '{"version":1, "fingerprint": "x", "session": {"profile": 3');
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/export AWS_SESSION_TOKEN=/);
    expect(result.stderr.match(/warning/g)).toHaveLength(1);
    expect(result.stderr).toContain(`ignoring the corrupt cache entry ${entryFile()}`);
    expect(suite.sts.calls).toHaveLength(2);
    // …and the entry was replaced by a good one.
    expect(JSON.parse(readFileSync(entryFile(), 'utf8')).session.profile).toBe('default');
  });

  it('a session with less than 5 minutes left is not reused', async () => {
    suite.sts.answer = () => ({ kind: 'credentials', expiration: new Date(Date.now() + 4 * 60_000) });
    await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--duration', '900']);
    suite.sts.answer = () => ({ kind: 'credentials' });
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(2);
  });

  it('a session made from other profile settings is not reused', async () => {
    await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    suite.sandbox.writeConfig(`[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/bob\n`);
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(2);
    expect(suite.sts.calls[1]!.params.get('SerialNumber')).toBe('arn:aws:iam::123456789012:mfa/bob');
  });

  it('clear --forget drops the cached session of the current profile', async () => {
    await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(existsSync(entryFile())).toBe(true);
    const cleared = await suite.sandbox.run(['clear', '--shell', 'bash', '--forget'], { env: { MFA_ENV_PROFILE: 'default' } });
    expect(cleared.exitCode, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('unset AWS_SESSION_TOKEN');
    expect(existsSync(entryFile())).toBe(false);
  });
});
