import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, botocoreCredentials, exportsOf } from './helpers/aws-files.js';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { SEED_ROLE_REQUESTS, SEED_USER_REQUESTS, seedRole, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';

let codeCounter = 710000;
const nextCode = () => String(codeCounter++);
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The four keys --write-profile sets, as lines in the order a new section gets them. */
function sessionLines(vars: Record<string, string>): string {
  return [
    `aws_access_key_id = ${vars.AWS_ACCESS_KEY_ID}`,
    `aws_secret_access_key = ${vars.AWS_SECRET_ACCESS_KEY}`,
    `aws_session_token = ${vars.AWS_SESSION_TOKEN}`,
    `expiration = ${vars.AWS_CREDENTIAL_EXPIRATION}`,
  ].join('\n');
}

describe('--write-profile against moto_server (signature-checking)', () => {
  let moto: Moto;
  let user: SeededUser;
  let roleArn: string;
  const sandboxes: Sandbox[] = [];

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_USER_REQUESTS + SEED_ROLE_REQUESTS });
    user = await seedUser(moto);
    roleArn = await seedRole(moto);
  });
  afterAll(async () => {
    await moto?.stop();
    for (const sandbox of sandboxes) sandbox.cleanup();
  });

  /** A fresh HOME (and cache): [default] has the IAM user's long-term keys, mfa_serial in config. */
  function sandboxWith(credentials?: string): Sandbox {
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandboxes.push(sandbox);
    sandbox.writeCredentials(credentials ?? `[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
    sandbox.writeConfig(
      `[default]\nregion = us-east-1\nmfa_serial = ${user.serial}\n\n[profile admin]\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\n`,
    );
    return sandbox;
  }

  const aws = (sandbox: Sandbox, args: string[]) =>
    execa('aws', [...args, '--output', 'text'], { env: awsEnv(sandbox, { AWS_ENDPOINT_URL: moto.endpoint }), extendEnv: false, reject: false });

  it('a role session written to [mfa] is used by the aws CLI with --profile mfa, and moto accepts it', async () => {
    // moto's GetSessionToken answers fixed example keys that moto itself refuses for signed
    // calls, so acceptance is proven with AssumeRole credentials, which moto does accept.
    const sandbox = sandboxWith();
    const result = await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    const vars = await exportsOf(result.stdout);
    expect(vars.AWS_SESSION_TOKEN!.length).toBeGreaterThan(20); // the shell output is still printed
    expect(result.stderr).toContain(`wrote the session to [mfa] of ${sandbox.credentialsFile}`);
    expect(result.stderr).not.toContain(vars.AWS_SECRET_ACCESS_KEY!);

    const text = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(text).toBe(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n\n[mfa]\n${sessionLines(vars)}\n`);
    expect(vars.AWS_CREDENTIAL_EXPIRATION).toMatch(ISO_Z);
    expect(statSync(sandbox.credentialsFile).mode & 0o777).toBe(0o600);

    const identity = await aws(sandbox, ['sts', 'get-caller-identity', '--profile', 'mfa', '--query', 'Arn']);
    expect(identity.exitCode, String(identity.stderr)).toBe(0);
    expect(String(identity.stdout)).toContain('assumed-role/admin');
    const buckets = await aws(sandbox, ['s3api', 'list-buckets', '--profile', 'mfa']);
    expect(buckets.exitCode, String(buckets.stderr)).toBe(0);

    // …and moto really checks the signature: a wrong secret in [mfa] is refused.
    writeFileSync(sandbox.credentialsFile, text.replace(`aws_secret_access_key = ${vars.AWS_SECRET_ACCESS_KEY}`, 'aws_secret_access_key = wrong'));
    const forged = await aws(sandbox, ['s3api', 'list-buckets', '--profile', 'mfa']);
    expect(forged.exitCode).not.toBe(0);
  });

  it('a GetSessionToken session written to [mfa] is what botocore and `aws configure list` load for --profile mfa', async () => {
    const sandbox = sandboxWith();
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    const vars = await exportsOf(result.stdout);
    // botocore's own resolver: the static keys of the shared credentials file, with the token.
    const botocore = await botocoreCredentials(sandbox, 'mfa');
    expect(botocore).toEqual({ method: 'shared-credentials-file', accessKey: vars.AWS_ACCESS_KEY_ID, secretKey: vars.AWS_SECRET_ACCESS_KEY, token: vars.AWS_SESSION_TOKEN });
    const list = await aws(sandbox, ['configure', 'list', '--profile', 'mfa']);
    expect(list.exitCode, String(list.stderr)).toBe(0);
    expect(String(list.stdout)).toMatch(new RegExp(`access_key\\s+\\*+${vars.AWS_ACCESS_KEY_ID!.slice(-4)}\\s+shared-credentials-file`));
    // The long-term profile is untouched and still the source of the next login.
    const again = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa', '--force']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect((await botocoreCredentials(sandbox, 'default')).accessKey).toBe(user.accessKeyId);
  });

  it('golden: comments, odd spacing, tabs and other sections stay byte-identical over two writes', async () => {
    const before = [
      '# ~/.aws/credentials, edited by hand over the years',
      '; a semicolon comment',
      '',
      '[default]',
      `aws_access_key_id=${user.accessKeyId}`,
      `aws_secret_access_key   =   ${user.secretAccessKey}`,
      '',
      '',
      '\t# a tab-indented comment',
      '[work]\t; trailing comment',
      'aws_access_key_id\t=\tAKIAWORKEXAMPLE00001',
      'aws_secret_access_key = workSecretExampleKey/abc',
      '   ',
      '',
    ].join('\n');
    const header = '[mfa]   # the session lives here\n';
    // An old session with a comment between its keys, spelled with odd spacing.
    const oldSection = 'aws_access_key_id   =   ASIAOLDOLDOLDOLD0001\n# kept: a comment inside the section\naws_session_token=old-token\n';
    const after = '\n# --- the section below is not ours ---\n[z-last]\naws_access_key_id = AKIAZLASTEXAMPLE0001\naws_secret_access_key = zz\n\tindented = continuation';
    const sandbox = sandboxWith(before + header + oldSection + after);

    const expected = (vars: Record<string, string>) =>
      before +
      header +
      `aws_access_key_id   =   ${vars.AWS_ACCESS_KEY_ID}\n# kept: a comment inside the section\naws_session_token=${vars.AWS_SESSION_TOKEN}\n` +
      `aws_secret_access_key = ${vars.AWS_SECRET_ACCESS_KEY}\nexpiration = ${vars.AWS_CREDENTIAL_EXPIRATION}\n` +
      after;

    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(first.exitCode, first.stderr).toBe(0);
    const firstVars = await exportsOf(first.stdout);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(expected(firstVars));

    const second = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa', '--force', '--duration', '2h']);
    expect(second.exitCode, second.stderr).toBe(0);
    const secondVars = await exportsOf(second.stdout);
    expect(secondVars.AWS_CREDENTIAL_EXPIRATION).not.toBe(firstVars.AWS_CREDENTIAL_EXPIRATION);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(expected(secondVars));
    // Both SDKs still read every section: botocore the session in [mfa], and [work] unchanged.
    expect((await botocoreCredentials(sandbox, 'mfa')).token).toBe(secondVars.AWS_SESSION_TOKEN);
    expect((await botocoreCredentials(sandbox, 'work')).accessKey).toBe('AKIAWORKEXAMPLE00001');
  });

  it('golden, CRLF: a Windows-edited file stays CRLF and byte-identical before the new section', async () => {
    const original = `# from Windows\r\n[default]\r\naws_access_key_id = ${user.accessKeyId}\r\naws_secret_access_key = ${user.secretAccessKey}\r\n\r\n[other]\r\naws_access_key_id = AKIAOTHEREXAMPLE0001\r\naws_secret_access_key = other`;
    const sandbox = sandboxWith(original);
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    const vars = await exportsOf(result.stdout);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(`${original}\r\n\r\n[mfa]\r\n${sessionLines(vars).replace(/\n/g, '\r\n')}\r\n`);
    expect((await botocoreCredentials(sandbox, 'mfa')).token).toBe(vars.AWS_SESSION_TOKEN);
  });

  it('refuses to clobber long-term keys: exit 1, stdout empty, file unchanged, says why and the fix', async () => {
    const credentials = `[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n\n[work]\naws_access_key_id = AKIAWORKEXAMPLE00001\naws_secret_access_key = workSecret\n`;
    const sandbox = sandboxWith(credentials);
    const mtime = statSync(sandbox.credentialsFile).mtimeMs;
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'work']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/refusing to write the session into \[work\] .*: it holds long-term access keys \(aws_access_key_id without aws_session_token\)/);
    expect(result.stderr).toMatch(/--write-profile work-mfa/);
    expect(result.stderr).toContain('[work-long-term]');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(credentials);
    expect(statSync(sandbox.credentialsFile).mtimeMs).toBe(mtime);
    // Refused before STS: no session was obtained, so none was cached.
    expect(existsSync(join(sandbox.cacheDir, 'session-default.json'))).toBe(false);
  });
});

/** The rest with a loopback STS that counts calls, so "before any network call" is checked. */
describe('--write-profile: refusals, files and modes', () => {
  let sts: FakeSts;
  const sandboxes: Sandbox[] = [];
  const LONG_TERM = '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE01\naws_secret_access_key = secret1\n';

  beforeAll(async () => {
    sts = await startFakeSts();
  });
  afterAll(async () => {
    await sts.close();
    for (const sandbox of sandboxes) sandbox.cleanup();
  });
  afterEach(() => {
    sts.calls.length = 0;
  });

  function sandboxWith(credentials = LONG_TERM): Sandbox {
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint });
    sandboxes.push(sandbox);
    sandbox.writeCredentials(credentials);
    sandbox.writeConfig(
      '[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n\n[profile dev]\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n',
    );
    return sandbox;
  }

  it.each([
    ['a space', 'my profile'],
    ['brackets', 'a]b'],
    ['a comment character', 'a#b'],
    ['a newline', 'a\nb'],
    ['nothing', ''],
    ['__proto__', '__proto__'],
  ])('a name with %s is a usage error before any file or network access', async (_what, name) => {
    const sandbox = sandboxWith();
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', name]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invalid profile name .* for --write-profile/);
    expect(sts.calls).toHaveLength(0);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(LONG_TERM);
  });

  it.each([
    ['the source of the long-term keys', ['--write-profile', 'default'], /it is the profile whose long-term keys this login uses/],
    ['a role profile\'s source', ['--profile', 'admin', '--write-profile', 'default'], /it is the profile whose long-term keys this login uses/],
    ['the profile logged in with', ['--profile', 'dev', '--write-profile', 'dev'], /it is the profile you log in with/],
    ['a role profile', ['--write-profile', 'admin'], /that profile has role_arn/],
  ])('refuses %s, before any STS call', async (_what, args, message) => {
    const sandbox = sandboxWith();
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), ...args]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Pick another name, e\.g\. --write-profile/);
    expect(sts.calls).toHaveLength(0);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(LONG_TERM);
  });

  it('refuses long-term keys even when the session comes from the cache', async () => {
    const sandbox = sandboxWith(`${LONG_TERM}\n[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\n`);
    expect((await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()])).exitCode).toBe(0);
    const result = await sandbox.run(['login', '--shell', 'bash', '--write-profile', 'work']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/holds long-term access keys/);
  });

  it('a session from the cache is written too, so the file catches up', async () => {
    const sandbox = sandboxWith();
    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(first.exitCode, first.stderr).toBe(0);
    const vars = await exportsOf(first.stdout);
    writeFileSync(sandbox.credentialsFile, LONG_TERM); // the user removed [mfa]
    const second = await sandbox.run(['login', '--shell', 'bash', '--write-profile', 'mfa']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain('from the cache');
    expect(sts.calls).toHaveLength(1);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(`${LONG_TERM}\n[mfa]\n${sessionLines(vars)}\n`);
    // A third run with nothing to change leaves the file alone.
    const mtime = statSync(sandbox.credentialsFile).mtimeMs;
    const third = await sandbox.run(['login', '--shell', 'bash', '--write-profile', 'mfa']);
    expect(third.stderr).toContain('the session is already in [mfa]');
    expect(statSync(sandbox.credentialsFile).mtimeMs).toBe(mtime);
  });

  it('a 0644 file becomes 0600; a missing ~/.aws is created 0700 with a 0600 file, also under umask 000', async () => {
    const sandbox = sandboxWith();
    chmodSync(sandbox.credentialsFile, 0o644);
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(statSync(sandbox.credentialsFile).mode & 0o777).toBe(0o600);

    // A credentials file that does not exist yet, in a directory that does not either: the
    // long-term keys come from the config file (the SDKs read keys there too).
    const dir = join(sandbox.home, 'fresh', '.aws');
    const target = join(dir, 'credentials');
    const config = join(sandbox.home, 'config-with-keys');
    writeFileSync(config, '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE01\naws_secret_access_key = secret1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n');
    const created = await execa('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, CLI, 'login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa'], {
      env: { ...sandbox.env, AWS_SHARED_CREDENTIALS_FILE: target, AWS_CONFIG_FILE: config },
      extendEnv: false,
      reject: false,
      detached: true,
    });
    expect(created.exitCode, String(created.stderr)).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const vars = await exportsOf(String(created.stdout));
    expect(readFileSync(target, 'utf8')).toBe(`[mfa]\n${sessionLines(vars)}\n`);
  });

  it('refuses a symlink planted at the credentials path: the link and its target stay as they were', async () => {
    const sandbox = sandboxWith();
    const real = join(sandbox.home, 'elsewhere');
    writeFileSync(real, LONG_TERM, { mode: 0o600 });
    rmSync(sandbox.credentialsFile);
    symlinkSync(real, sandbox.credentialsFile);
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--write-profile', 'mfa']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/will not edit the credentials file .*symbolic link/);
    expect(sts.calls).toHaveLength(0);
    expect(lstatSync(sandbox.credentialsFile).isSymbolicLink()).toBe(true);
    expect(readlinkSync(sandbox.credentialsFile)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe(LONG_TERM);
  });

  it('parallel writers of different profiles into one file lose nothing (file lock)', async () => {
    const sandbox = sandboxWith();
    const first = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(first.exitCode, first.stderr).toBe(0);
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    // From the cache: no STS call, so the processes reach the file at nearly the same time.
    const results = await Promise.all(names.map((name) => sandbox.run(['login', '--shell', 'bash', '--write-profile', name])));
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const vars = await exportsOf(first.stdout);
    const text = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(text.startsWith(LONG_TERM)).toBe(true);
    for (const name of names) expect(text).toContain(`[${name}]\n${sessionLines(vars)}\n`);
    expect(text.match(/^\[/gm)).toHaveLength(names.length + 1);
    expect(existsSync(sandbox.credentialsFile)).toBe(true);
  });
});
