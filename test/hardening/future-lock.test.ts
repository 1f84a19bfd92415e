/**
 * Issue 15, item 7: a lock dir whose mtime is in the future, left by a holder that died before
 * the clock was set back. Staleness judged by comparing that mtime with the clock would keep
 * it "fresh" until the clock catches up: the profile blocked for as long, and every login
 * that needs a code ending in "unexpected error … This is a bug" on the used-codes lock.
 * mfa-env takes such a lock over once its mtime has stood still for the stale threshold.
 */
import { mkdirSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnCli, trackStsSandboxes, waitFor } from '../helpers/hardening.js';
import { profileLockPath, usedCodesLockPath } from '../../src/store/layout.js';

/** The stale threshold in src/store/lock.ts. */
const STALE_MS = 10_000;
const AN_HOUR_AHEAD = () => new Date(Date.now() + 3_600_000);

const sandboxes = trackStsSandboxes();

describe('a dead holder\'s lock with an mtime in the future', () => {
  it('the profile lock of a SIGKILLed login, its mtime an hour ahead: the next login takes over within the stale threshold', async () => {
    const { fake, sandbox } = await sandboxes.start((call) => (call.params.get('TokenCode') === '111111' ? { kind: 'hang' } : { kind: 'credentials' }));
    const holder = spawnCli(sandbox, ['login', '--shell', 'bash', '--token-code', '111111']);
    await waitFor(() => fake.calls.length === 1, 20_000, 'the holder to call STS');
    holder.kill('SIGKILL');
    await holder;
    // As if the clock had been set back an hour after the holder's last refresh.
    const lock = profileLockPath('default', sandbox.cacheDir);
    utimesSync(lock, AN_HOUR_AHEAD(), AN_HOUR_AHEAD());

    const start = Date.now();
    const next = await spawnCli(sandbox, ['login', '--shell', 'bash', '--token-code', '222222'], { env: { MFA_ENV_LOCK_WAIT: '40' } });
    expect(next.exitCode, String(next.stderr)).toBe(0);
    expect(String(next.stdout)).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID=.*ASIAFAKE/m);
    expect(Date.now() - start).toBeLessThan(STALE_MS + 6_000);
    expect(fake.calls.map((call) => call.params.get('TokenCode'))).toEqual(['111111', '222222']);
  }, 60_000);

  it('the used-codes lock, its mtime an hour ahead: a login with a code succeeds, no "unexpected error"', async () => {
    const { fake, sandbox } = await sandboxes.start();
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    const lock = usedCodesLockPath(sandbox.cacheDir);
    mkdirSync(lock, { mode: 0o700 });
    utimesSync(lock, AN_HOUR_AHEAD(), AN_HOUR_AHEAD());

    const start = Date.now();
    const login = await spawnCli(sandbox, ['login', '--shell', 'bash', '--token-code', '123456']);
    expect(String(login.stderr)).not.toMatch(/unexpected error|This is a bug/);
    expect(login.exitCode, String(login.stderr)).toBe(0);
    expect(String(login.stdout)).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID=.*ASIAFAKE/m);
    expect(Date.now() - start).toBeLessThan(STALE_MS + 6_000);
    expect(fake.calls).toHaveLength(1);
  }, 60_000);
});
