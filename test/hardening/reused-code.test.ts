/**
 * Issue 6, item 7: a code already sent for a device is never sent again (RFC 6238; AWS answers
 * a reused code like a wrong one). A second login for another profile on the same device in the
 * same 30-second step says so and then: fails fast with --token-code (no terminal to wait on),
 * asks again at the prompt, or waits for the next step with mfa_process.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { CLI, type Sandbox } from '../helpers/sandbox.js';
import { startInPty } from '../helpers/pty.js';
import { SERIAL, sleep, stsSandbox } from '../helpers/hardening.js';

const STEP_MS = 30_000;
const OTHER_DEVICE = 'arn:aws:iam::123456789012:mfa/bob';

let fake: FakeSts | undefined;
let sandbox: Sandbox | undefined;
/** When each STS call arrived. */
let callTimes: number[] = [];
afterEach(async () => {
  await fake?.close();
  sandbox?.cleanup();
  fake = sandbox = undefined;
});

/** [default] and [profile other] on the same device (other has keys of its own); [profile third] on another device. */
async function setUp(mfaProcess?: string) {
  callTimes = [];
  fake = await startFakeSts(() => {
    callTimes.push(Date.now());
    return { kind: 'credentials' };
  });
  const process = mfaProcess ? `mfa_process = ${mfaProcess}\n` : '';
  sandbox = stsSandbox(fake, {
    extraConfig: `${process}\n[profile other]\nmfa_serial = ${SERIAL}\n${process}\n[profile third]\nmfa_serial = ${OTHER_DEVICE}\n`,
  });
  sandbox.writeCredentials(
    `${readFileSync(sandbox.credentialsFile, 'utf8')}\n[other]\naws_access_key_id = AKIAOTHERKEY00000001\naws_secret_access_key = otherSecret/0123456789abcdefghijklmnopqrst\n` +
      `\n[third]\naws_access_key_id = AKIATHIRDKEY00000001\naws_secret_access_key = thirdSecret/0123456789abcdefghijklmnopqrst\n`,
  );
  return { fake, sandbox };
}

const codes = () => fake!.calls.map((call) => call.params.get('TokenCode'));

describe('a code reused for the same device within its window', () => {
  it('--token-code: fails fast without a call, says why and what to do; another device takes the same digits', async () => {
    const { sandbox } = await setUp();
    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);

    const started = Date.now();
    const reused = await sandbox.run(['login', '--profile', 'other', '--shell', 'bash', '--token-code', '123456']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(reused.exitCode).toBe(1);
    expect(reused.stdout).toBe('');
    expect(reused.stderr).toMatch(/that MFA code was already sent for this device at .*, and AWS refuses a code twice; the next code comes in about \d+s/);
    expect(reused.stderr).toContain('Wait for the next code on your device and run the command again with it.');
    expect(codes()).toEqual(['123456']);

    // The guard is per device: the same six digits for another device are a different code.
    const third = await sandbox.run(['login', '--profile', 'third', '--shell', 'bash', '--token-code', '123456']);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(codes()).toEqual(['123456', '123456']);
    expect(fake!.calls[1]!.params.get('SerialNumber')).toBe(OTHER_DEVICE);
  });

  it('prompt: says the code was already used and asks again; the next code is sent', async () => {
    const { sandbox } = await setUp();
    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);

    const out = join(sandbox.home, 'stdout');
    const pty = startInPty(`${process.execPath} ${CLI} login --profile other --shell bash > ${out}`, sandbox.env);
    const prompt = `MFA code for ${SERIAL} (profile other): `;
    await pty.waitFor(prompt);
    pty.type('123456\n');
    await pty.waitFor(prompt, 2);
    expect(pty.screen()).toMatch(/that MFA code was already sent for this device at .*, and AWS refuses a code twice; the next code comes in about \d+s\.\r?\nWait for it, then type it\. /);
    expect(codes(), 'the reused code was sent').toEqual(['123456']);
    pty.type('654321\n');
    const { exitCode, screen } = await pty.finish();
    expect(exitCode, screen).toBe(0);
    expect(codes()).toEqual(['123456', '654321']);
    expect(readFileSync(out, 'utf8')).toMatch(/^export AWS_ACCESS_KEY_ID='ASIAFAKE/m);
  });

  it('mfa_process: waits for the next 30-second step and sends that code', async () => {
    // A TOTP stand-in: the code is a function of the current 30-second step, like an authenticator's.
    const dir = (await import('node:os')).tmpdir();
    const totp = join(dir, `fake-totp-${process.pid}-${Date.now()}.sh`);
    writeFileSync(totp, '#!/bin/sh\necho $(( 100000 + ($(date +%s) / 30 * 7919) % 900000 ))\n');
    chmodSync(totp, 0o755);
    try {
      const { sandbox } = await setUp(totp);
      // Both logins must start in the same step: not in its last 4 seconds (they take about one).
      const untilNext = STEP_MS - (Date.now() % STEP_MS);
      if (untilNext < 4_000) await sleep(untilNext + 200);
      const step = Math.floor(Date.now() / STEP_MS);

      const first = await sandbox.run(['login', '--shell', 'bash']);
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await sandbox.run(['login', '--profile', 'other', '--shell', 'bash']);
      expect(second.exitCode, second.stderr).toBe(0);

      expect(Math.floor(callTimes[0]! / STEP_MS)).toBe(step);
      expect(second.stderr).toMatch(/that MFA code was already sent for this device at .*; waiting \d+s for it/);
      const [firstCode, secondCode] = codes();
      expect(firstCode).toMatch(/^\d{6}$/);
      expect(secondCode).toMatch(/^\d{6}$/);
      expect(secondCode).not.toBe(firstCode);
      // Sent only once the device shows the next code.
      expect(Math.floor(callTimes[1]! / STEP_MS)).toBeGreaterThan(step);
      expect(second.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIAFAKE/m);
    } finally {
      (await import('node:fs')).rmSync(totp, { force: true });
    }
  }, 60_000);
});
