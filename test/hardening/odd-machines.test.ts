/**
 * Issue 15, the round of our own: what else a user's machine may hold. AWS files that are a
 * directory or a FIFO (the SDK's loader took them for empty files: "profile not found", or a
 * wait for a writer), and a reader that closes stdout early (`mfa-env login | head -c0`,
 * which ended in "unexpected error: EPIPE … a bug").
 */
import { execa } from 'execa';
import { mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { useStsSandbox } from '../helpers/hardening.js';

const sts = useStsSandbox();

const login = ['login', '--shell', 'bash', '--token-code', '123456'];

describe('AWS files that are not files', () => {
  it('~/.aws/config is a directory: said so with the variable to fix, no STS call', async () => {
    rmSync(sts.sandbox.configFile);
    mkdirSync(sts.sandbox.configFile);
    const result = await sts.sandbox.run(login);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot read ${sts.sandbox.configFile}: it is not a regular file`);
    expect(result.stderr).toContain('AWS_CONFIG_FILE');
    expect(sts.fake.calls).toHaveLength(0);
  });

  it('~/.aws/credentials is a FIFO with no writer: said so at once, no wait', async () => {
    rmSync(sts.sandbox.credentialsFile);
    await execa('mkfifo', [sts.sandbox.credentialsFile]);
    const result = await sts.sandbox.run(login, { timeout: 20_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`cannot read ${sts.sandbox.credentialsFile}: it is not a regular file`);
    expect(result.stderr).toContain('AWS_SHARED_CREDENTIALS_FILE');
    expect(sts.fake.calls).toHaveLength(0);
  });

  it('AWS_SHARED_CREDENTIALS_FILE=/dev/null (a file switched off) is still an empty file', async () => {
    const result = await sts.sandbox.run(['list'], { env: { AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('not a regular file');
  });
});

describe('stdout closed by its reader', () => {
  it.each(['login', 'list', 'list --json', 'init bash'])('mfa-env %s | head -c0: exit 1, no "bug", no stack trace', async (words) => {
    const args = words === 'login' ? login : words.split(' ');
    const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
    // Let head exit first, so the write finds the pipe closed.
    const result = await execa('bash', ['-c', `{ sleep 0.3; exec ${command}; } </dev/null | head -c0; echo "status \${PIPESTATUS[0]}" >&2`], {
      env: sts.sandbox.env,
      extendEnv: false,
      reject: false,
    });
    expect(String(result.stderr)).not.toMatch(/unexpected error|a bug in mfa-env|EPIPE|at .*\.js:\d+/);
    expect(String(result.stderr)).toMatch(/status 1\n?$/);
  });
});
