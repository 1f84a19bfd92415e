/**
 * Issue 6, item 2: the cross-process lock. Twenty parallel logins on an empty cache ask for one
 * code and make one STS call; a lock holder SIGKILLed mid-call is taken over once its lock goes
 * stale; a waiter that gives up says why.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleep, spawnCli, trackStsSandboxes, waitFor } from '../helpers/hardening.js';

/** proper-lockfile's stale threshold in src/store/lock.ts. */
const STALE_MS = 10_000;

const sandboxes = trackStsSandboxes();

describe('cross-process lock', () => {
  it('20 parallel logins on an empty cache: one mfa_process run, one STS call, 20 identical outputs', async () => {
    // The winner's STS call is held until several others are seen waiting on its lock (or 15 s).
    let waiting = 0;
    const { fake, sandbox } = await sandboxes.start(async () => {
      const deadline = Date.now() + 15_000;
      while (waiting < 5 && Date.now() < deadline) await sleep(50);
      return { kind: 'credentials' };
    });
    // The "prompt": an mfa_process that counts how often it is asked for a code.
    const counter = join(sandbox.home, 'asked');
    const mfaProcess = join(sandbox.home, 'mfa-code.sh');
    writeFileSync(mfaProcess, `#!/bin/sh\nprintf x >> '${counter}'\necho 123456\n`);
    chmodSync(mfaProcess, 0o755);
    sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nmfa_process = ${mfaProcess}\n`);

    const children = Array.from({ length: 20 }, () => {
      const child = spawnCli(sandbox, ['login', '--shell', 'bash']);
      let announced = false;
      child.stderr!.on('data', (chunk: Buffer) => {
        if (!announced && chunk.toString().includes('waiting for another mfa-env login')) {
          announced = true;
          waiting++;
        }
      });
      return child;
    });
    const results = (await Promise.all(children)).map((r) => ({ exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) }));

    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('x');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.params.get('TokenCode')).toBe('123456');
    const outputs = new Set(results.map((result) => result.stdout));
    expect(outputs.size).toBe(1);
    expect([...outputs][0]).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID=.*ASIAFAKE/m);
    // The others really waited on the lock (rather than all finding a cache that was already there).
    expect(results.filter((result) => result.stderr.includes('waiting for another mfa-env login')).length).toBeGreaterThanOrEqual(5);
    expect(readdirSync(sandbox.cacheDir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('a lock holder SIGKILLed mid-call: a waiter takes over once the lock is stale; a waiter with a short MFA_ENV_LOCK_WAIT gives up clearly', async () => {
    const { fake, sandbox } = await sandboxes.start((call) => (call.params.get('TokenCode') === '111111' ? { kind: 'hang' } : { kind: 'credentials' }));

    const holder = spawnCli(sandbox, ['login', '--shell', 'bash', '--token-code', '111111']);
    await waitFor(() => fake.calls.length === 1, 20_000, 'the holder to call STS');
    expect(existsSync(join(sandbox.cacheDir, 'login-default.lock'))).toBe(true);

    const taker = spawnCli(sandbox, ['login', '--shell', 'bash', '--token-code', '222222'], { env: { MFA_ENV_LOCK_WAIT: '60' } });
    const quitterStart = Date.now();
    const quitter = await sandbox.run(['login', '--shell', 'bash', '--token-code', '333333'], { env: { MFA_ENV_LOCK_WAIT: '1' } });
    const quitterMs = Date.now() - quitterStart;
    expect(quitter.exitCode).toBe(1);
    expect(quitter.stdout).toBe('');
    expect(quitter.stderr).toContain('gave up waiting for another mfa-env login of profile "default" after 1s');
    expect(quitter.stderr).toMatch(/Finish or cancel the other login/);
    expect(quitterMs).toBeLessThan(8_000);

    // The holder is alive and its lock fresh: nobody got past it.
    expect(fake.calls).toHaveLength(1);
    expect(taker.exitCode, "the taker finished while the holder was alive").toBeNull();

    const killedAt = Date.now();
    holder.kill('SIGKILL');
    const held = await holder;
    expect(held.signal).toBe('SIGKILL');
    expect(held.stdout).toBe('');

    const took = await taker;
    const takeoverMs = Date.now() - killedAt;
    expect(took.exitCode, took.stderr).toBe(0);
    expect(String(took.stderr)).toContain('waiting for another mfa-env login of profile "default"');
    expect(fake.calls.map((call) => call.params.get('TokenCode'))).toEqual(['111111', '222222']);
    expect(String(took.stdout)).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID=.*ASIAFAKE/m);
    // Bounded by the stale threshold (plus polling and start-up), not by MFA_ENV_LOCK_WAIT.
    expect(takeoverMs).toBeLessThan(STALE_MS + 5_000);
    expect(readdirSync(sandbox.cacheDir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });
});
