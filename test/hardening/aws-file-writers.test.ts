/**
 * Issue 15, items 8 and 9: `--write-profile` and the other programs that write the AWS files.
 * A change `aws configure set` makes between mfa-env's read and its rename is kept (the file
 * is read again before the rename and the edit redone on what is there); a read-only (0400)
 * credentials file is refused, as the AWS CLI refuses it, before any STS call.
 */
import { execa } from 'execa';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { botocoreCredentials } from '../helpers/aws-files.js';
import { modeOf, useStsSandbox, waitFor } from '../helpers/hardening.js';

const sts = useStsSandbox();

/** What `aws configure set aws_access_key_id AKIAOTHER --profile other` does: the AWS CLI's own writer, in place. */
function awsConfigureSet(file: string) {
  const script = [
    'import sys',
    'from awscli.customizations.configure.writer import ConfigFileWriter',
    "ConfigFileWriter().update_config({'__section__': 'other', 'aws_access_key_id': 'AKIAOTHER', 'aws_secret_access_key': 'otherSecret'}, sys.argv[1])",
  ].join('\n');
  return execa('python3', ['-c', script, file], { env: { PATH: process.env.PATH! }, extendEnv: false });
}

describe('another program writes the credentials file during --write-profile', () => {
  it('aws configure set between the read and the rename: its profile and the session are both in the file', async () => {
    // The session comes from the cache, so the credentials file is the login's one fsync.
    const first = await sts.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);
    const aws = join(sts.sandbox.home, '.aws');
    // fsync waits 4 s: the new text is on disk in a temp file, not yet renamed over the file.
    const login = execa(
      'strace',
      ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=fsync', '-e', 'inject=fsync:delay_enter=4000000', process.execPath, CLI, 'login', '--shell', 'bash', '--write-profile', 'mfa'],
      { env: sts.sandbox.env, extendEnv: false, reject: false, input: '' },
    );
    await waitFor(() => readdirSync(aws).some((name) => name.startsWith('.credentials.') && name.endsWith('.tmp')), 20_000, 'the temp file of the write');
    await awsConfigureSet(sts.sandbox.credentialsFile);
    expect(readFileSync(sts.sandbox.credentialsFile, 'utf8')).toContain('[other]');
    const result = await login;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const text = readFileSync(sts.sandbox.credentialsFile, 'utf8');
    expect(text).toContain('[other]\naws_access_key_id = AKIAOTHER');
    expect(text).toMatch(/\[mfa\]\naws_access_key_id = ASIA/);
    expect((await botocoreCredentials(sts.sandbox, 'other')).accessKey).toBe('AKIAOTHER');
    expect((await botocoreCredentials(sts.sandbox, 'mfa')).token).toMatch(/^FwoG/);
    expect(readdirSync(aws).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('a read-only credentials file', () => {
  it('0400: refused with the file and the fix, nothing written, mode kept, no STS call', async () => {
    chmodSync(sts.sandbox.credentialsFile, 0o400);
    const before = readFileSync(sts.sandbox.credentialsFile, 'utf8');
    const result = await sts.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456', '--write-profile', 'mfa']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`the credentials file ${sts.sandbox.credentialsFile} is read-only (mode 400)`);
    expect(result.stderr).toContain(`chmod u+w '${sts.sandbox.credentialsFile}'`);
    expect(readFileSync(sts.sandbox.credentialsFile, 'utf8')).toBe(before);
    expect(modeOf(sts.sandbox.credentialsFile).toString(8)).toBe('400');
    expect(sts.fake.calls).toHaveLength(0);
  });

  it('0400 while the session comes from the cache: refused all the same', async () => {
    const first = await sts.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(first.exitCode, first.stderr).toBe(0);
    chmodSync(sts.sandbox.credentialsFile, 0o400);
    const result = await sts.sandbox.run(['login', '--shell', 'bash', '--write-profile', 'mfa']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('is read-only (mode 400)');
    expect(modeOf(sts.sandbox.credentialsFile).toString(8)).toBe('400');
  });
});
