/**
 * Issue 15, item 5: an mfa_process that prints the code and leaves a background child holding
 * its stdout kept the login waiting for as long as that child lived, past mfa-env's own
 * timeout. Now the first line is read with a real timeout and the process group is killed.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { sleep, spawnCli, stsSandbox, waitFor } from '../helpers/hardening.js';

let fake: FakeSts;
let sandbox: Sandbox;
beforeEach(async () => {
  fake = await startFakeSts(() => ({ kind: 'credentials' }));
});
afterEach(async () => {
  await fake.close();
  sandbox.cleanup();
});

/** A sandbox whose default profile's mfa_process is `script` (a sh script), and where its background child's pid goes. */
function withMfaProcess(script: string): { pidFile: string } {
  sandbox = stsSandbox(fake);
  const path = join(sandbox.home, 'mfa-code.sh');
  const pidFile = join(sandbox.home, 'child.pid');
  writeFileSync(path, `#!/bin/sh\n${script.replaceAll('PIDFILE', pidFile)}\n`);
  chmodSync(path, 0o755);
  sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nmfa_process = ${path}\n`);
  return { pidFile };
}

/** Running (a killed orphan may stay a zombie until its new parent reaps it: that is not alive). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('mfa_process with a background child that holds stdout', () => {
  it('prints the code, leaves `sleep 60 &`: the login ends within seconds and the child is killed', async () => {
    const { pidFile } = withMfaProcess('echo 123456\nsleep 60 &\necho $! > PIDFILE');
    const started = Date.now();
    const result = await sandbox.run(['login', '--shell', 'bash'], { timeout: 30_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stdout).toContain('AWS_SESSION_TOKEN');
    expect(fake.calls[0]!.params.get('TokenCode')).toBe('123456');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await sleep(200);
    expect(alive(pid)).toBe(false);
  });

  it('prints nothing and leaves a child holding stdout: a clear error within seconds, no STS call', async () => {
    const { pidFile } = withMfaProcess('sleep 60 &\necho $! > PIDFILE');
    const started = Date.now();
    const result = await sandbox.run(['login', '--shell', 'bash'], { timeout: 30_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('printed something that is not a 6-digit code');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(fake.calls).toHaveLength(0);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('never prints and never exits: MFA_ENV_PROCESS_TIMEOUT ends it, the group is killed', async () => {
    const { pidFile } = withMfaProcess('sleep 60 &\necho $! > PIDFILE\nwait');
    const started = Date.now();
    const result = await sandbox.run(['login', '--shell', 'bash'], { env: { MFA_ENV_PROCESS_TIMEOUT: '2' }, timeout: 30_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('timed out after 2s');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('SIGINT to mfa-env while it waits (Ctrl-C): the group it started in its own session is stopped too', async () => {
    const { pidFile } = withMfaProcess('sleep 60 &\necho $! > PIDFILE\nwait');
    const login = spawnCli(sandbox, ['login', '--shell', 'bash']);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 15_000, 'the mfa_process child');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    login.kill('SIGINT');
    const result = await login;
    expect(result.signal ?? result.exitCode).toBeTruthy();
    expect(String(result.stdout)).toBe('');
    await waitFor(() => !alive(pid), 5_000, 'the child to be killed');
    expect(fake.calls).toHaveLength(0);
  });

  it('a plain mfa_process that prints the code and exits still works', async () => {
    withMfaProcess('echo 654321');
    const result = await sandbox.run(['login', '--shell', 'bash']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(fake.calls[0]!.params.get('TokenCode')).toBe('654321');
  });
});
