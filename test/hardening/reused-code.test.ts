/**
 * Issue 6, item 7: a code already sent for a device is never sent again (RFC 6238; AWS answers
 * a reused code like a wrong one). A second login for another profile on the same device in the
 * same 30-second step says so and then: fails fast with --token-code (no terminal to wait on),
 * asks again at the prompt, or waits for the next step with mfa_process.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { CLI, type Sandbox } from '../helpers/sandbox.js';
import { startInPty } from '../helpers/pty.js';
import { SERIAL, spawnCli, stsSandbox, waitFor } from '../helpers/hardening.js';

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
    expect(Date.now() - started, "not fast: it waited").toBeLessThan(10_000);
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

  it('20 parallel logins, one code: sent once per device; no record of another device is lost', async () => {
    callTimes = [];
    fake = await startFakeSts(() => ({ kind: 'credentials' }));
    const device = (i: number) => `arn:aws:iam::123456789012:mfa/user${i}`;
    let config = '';
    // p0…p9 share one device; q0…q9 have one device each.
    for (let i = 0; i < 10; i++) config += `\n[profile p${i}]\nsource_profile = default\nmfa_serial = ${SERIAL}\n`;
    for (let i = 0; i < 10; i++) config += `\n[profile q${i}]\nsource_profile = default\nmfa_serial = ${device(i)}\n`;
    sandbox = stsSandbox(fake, { extraConfig: config });
    const login = (profile: string, ...flags: string[]) => spawnCli(sandbox!, ['login', '--profile', profile, '--shell', 'bash', '--token-code', '123456', ...flags]);

    const names = [...Array.from({ length: 10 }, (_, i) => `p${i}`), ...Array.from({ length: 10 }, (_, i) => `q${i}`)];
    const results = await Promise.all(names.map((name) => login(name)));
    const shared = results.slice(0, 10);
    const own = results.slice(10);
    expect(shared.filter((r) => r.exitCode === 0)).toHaveLength(1);
    for (const r of shared.filter((r) => r.exitCode !== 0)) {
      expect(r.exitCode).toBe(1);
      expect(String(r.stderr)).toContain('that MFA code was already sent for this device');
      expect(r.stdout).toBe('');
    }
    for (const r of own) expect(r.exitCode, String(r.stderr)).toBe(0);
    const sentTo = (serial: string) => fake!.calls.filter((call) => call.params.get('SerialNumber') === serial).length;
    expect(sentTo(SERIAL)).toBe(1);
    for (let i = 0; i < 10; i++) expect(sentTo(device(i))).toBe(1);

    // Every device's record survived the concurrent writes: the code is refused for each again.
    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => login(`q${i}`, '--force')));
    for (const r of again) {
      expect(r.exitCode).toBe(1);
      expect(String(r.stderr)).toContain('that MFA code was already sent for this device');
    }
    expect(fake.calls).toHaveLength(11);
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
    expect(readFileSync(out, 'utf8')).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID='ASIAFAKE/m);
  });

  it('mfa_process: waits for the next 30-second step and sends that code', async () => {
    // The authenticator: mfa_process prints what the test puts in `shown` and logs each time
    // it is asked. The test plays the clock: the second login's first ask sees the code the
    // first login used; anything after that sees the next one.
    const dir = mkdtempSync(join(tmpdir(), 'mfa-env-totp-'));
    const shown = join(dir, 'shown');
    const asked = join(dir, 'asked');
    const otp = join(dir, 'otp.sh');
    // Reads the code before logging the ask, so the test's change cannot reach this ask.
    writeFileSync(otp, `#!/bin/sh\ncode=$(cat '${shown}')\nprintf x >> '${asked}'\necho "$code"\n`);
    chmodSync(otp, 0o755);
    writeFileSync(shown, '111111\n');
    try {
      const { sandbox } = await setUp(otp);
      const first = await sandbox.run(['login', '--shell', 'bash']);
      expect(first.exitCode, first.stderr).toBe(0);

      const second = spawnCli(sandbox, ['login', '--profile', 'other', '--shell', 'bash']);
      await waitFor(() => existsSync(asked) && readFileSync(asked, 'utf8').length === 2, 20_000, 'the second login to ask mfa_process');
      const askedAt = Date.now();
      writeFileSync(shown, '222222\n');
      const result = await second;

      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(String(result.stderr)).toMatch(/that MFA code was already sent for this device at .*; waiting \d+s for it/);
      expect(readFileSync(asked, 'utf8')).toBe('xxx');
      expect(codes()).toEqual(['111111', '222222']);
      // Sent only once the device shows the next code: after the 30-second step ended.
      expect(Math.floor(callTimes[1]! / STEP_MS)).toBeGreaterThan(Math.floor(askedAt / STEP_MS));
      expect(String(result.stdout)).toMatch(/^(?:\\builtin )?\\?export AWS_ACCESS_KEY_ID='ASIAFAKE/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
