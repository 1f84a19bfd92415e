/**
 * `mfa-env console` against a loopback federation endpoint (MFA_ENV_FEDERATION_URL) and moto
 * (signature checking on) as STS: the endpoint receives the role session's own Session JSON in
 * a POST body, the sign-in URL carries its SigninToken and the console of the session's region,
 * `$BROWSER` gets only that URL, and GetSessionToken sessions are refused before any call.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consoleHome, federationEndpoint, partitionOf } from '../src/console/partition.js';
import { loginUrl } from '../src/console/federation.js';
import { startFakeFederation, type FakeFederation } from './helpers/federation.js';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { freePort, startMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';
import { tracedCli } from './helpers/processes.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

/** The variables a `login --shell bash` sets (mfa-env quotes each value in single quotes). */
function exportsOf(code: string): Record<string, string> {
  return Object.fromEntries([...code.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** A `$BROWSER` that records its argv (NUL-separated) and exits 0; only shell builtins, so it starts no process. */
function recordingBrowser(sandbox: Sandbox, name = 'record-browser'): { path: string; argv: () => string[] } {
  const path = join(sandbox.home, name);
  const record = `${path}.argv`;
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${record}'\n`, { mode: 0o755 });
  return { path, argv: () => readFileSync(record, 'utf8').split('\0').slice(0, -1) };
}

function parseLoginUrl(url: string) {
  const parsed = new URL(url);
  return { base: `${parsed.origin}${parsed.pathname}`, params: Object.fromEntries(parsed.searchParams) };
}

describe('console with role sessions (moto as STS)', () => {
  let moto: Moto;
  let user: SeededUser;
  let sandbox: Sandbox;
  let federation: FakeFederation;
  /** An endpoint nothing listens on: a run that needs no STS call is given it, so a call would fail. */
  let deadEndpoint: string;

  beforeAll(async () => {
    let roleArn: string;
    ({ moto, user, roleArn, sandbox } = await startMotoWorld());
    federation = await startFakeFederation();
    deadEndpoint = `http://127.0.0.1:${await freePort()}`;
    const config = readFileSync(sandbox.configFile, 'utf8');
    sandbox.writeConfig(
      `${config}\n[profile admin-eu]\nregion = eu-west-1\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\n` +
        `\n[profile admin-auto]\nregion = ap-southeast-2\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\nmfa_process = echo 222222\n`,
    );
  });
  afterAll(async () => {
    await federation?.close();
    await moto?.stop();
    sandbox?.cleanup();
  });
  beforeEach(() => {
    federation.calls.length = 0;
    federation.tokens.length = 0;
    federation.failWith = undefined;
  });

  const consoleEnv = () => ({ MFA_ENV_FEDERATION_URL: federation.url });

  it("the shell's own role session: its Session JSON in a POST body, the URL with its SigninToken and the region's console; no STS call", async () => {
    const login = await sandbox.run(['login', '--profile', 'admin-eu', '--shell', 'bash', '--token-code', '111111']);
    expect(login.exitCode, login.stderr).toBe(0);
    const shell = exportsOf(login.stdout);
    expect(shell.AWS_REGION).toBe('eu-west-1');

    const result = await sandbox.run(['console', '--print'], { env: { ...shell, ...consoleEnv(), AWS_ENDPOINT_URL: deadEndpoint } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(federation.calls).toHaveLength(1);
    const call = federation.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/federation'); // nothing in the query: no secret in any URL
    expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(call.form.get('Action')).toBe('getSigninToken');
    expect(call.form.has('SessionDuration')).toBe(false);
    expect(call.session).toEqual({ sessionId: shell.AWS_ACCESS_KEY_ID, sessionKey: shell.AWS_SECRET_ACCESS_KEY, sessionToken: shell.AWS_SESSION_TOKEN });

    expect(result.stdout.split('\n')).toHaveLength(2); // one line
    const { base, params } = parseLoginUrl(result.stdout.trim());
    expect(base).toBe(federation.url);
    expect(params).toEqual({
      Action: 'login',
      Issuer: 'mfa-env',
      Destination: 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1',
      SigninToken: federation.tokens[0],
    });
    expect(result.stderr).toMatch(/assumed-role\/admin\/.*eu-west-1.*within 15 minutes/);
    for (const secret of [shell.AWS_SECRET_ACCESS_KEY!, shell.AWS_SESSION_TOKEN!]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('--profile with no session in the shell: the cached session of the profile, no STS call', async () => {
    const login = await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', '333333']);
    expect(login.exitCode, login.stderr).toBe(0);
    const cached = exportsOf(login.stdout);
    const result = await sandbox.run(['console', '--profile', 'admin', '--print'], { env: { ...consoleEnv(), AWS_ENDPOINT_URL: deadEndpoint } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(federation.calls[0]!.session).toEqual({ sessionId: cached.AWS_ACCESS_KEY_ID, sessionKey: cached.AWS_SECRET_ACCESS_KEY, sessionToken: cached.AWS_SESSION_TOKEN });
    expect(parseLoginUrl(result.stdout.trim()).params.Destination).toBe('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
  });

  it('no session anywhere: logs in (mfa_process, AssumeRole at moto), caches it and signs in with it', async () => {
    const result = await sandbox.run(['console', '--profile', 'admin-auto', '--print'], { env: consoleEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    const cached = exportsOf((await sandbox.run(['login', '--profile', 'admin-auto', '--shell', 'bash'], { env: { AWS_ENDPOINT_URL: deadEndpoint } })).stdout);
    expect(cached.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(federation.calls[0]!.session).toEqual({ sessionId: cached.AWS_ACCESS_KEY_ID, sessionKey: cached.AWS_SECRET_ACCESS_KEY, sessionToken: cached.AWS_SESSION_TOKEN });
    expect(parseLoginUrl(result.stdout.trim()).params.Destination).toBe('https://ap-southeast-2.console.aws.amazon.com/console/home?region=ap-southeast-2');
  });

  it('$BROWSER gets the URL as its only argument; no secret on any command line, no shell, nothing on stdout', async () => {
    const browser = recordingBrowser(sandbox);
    const shell = exportsOf((await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash'])).stdout);
    const traced = tracedCli(sandbox, ['console'], { env: { ...shell, ...consoleEnv(), BROWSER: browser.path } });
    const result = await traced.child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toContain(`with ${browser.path}`);
    const argv = browser.argv();
    expect(argv).toHaveLength(1);
    expect(parseLoginUrl(argv[0]!).params.SigninToken).toBe(federation.tokens[0]);

    const execs = traced.execs();
    expect(execs.map((exec) => exec.file)).toEqual([process.execPath, browser.path]);
    for (const exec of execs) {
      for (const secret of [shell.AWS_SECRET_ACCESS_KEY!, shell.AWS_SESSION_TOKEN!]) expect(exec.argv).not.toContain(secret);
    }
  });

  it('$BROWSER as a list: a missing browser is skipped, %s marks where the URL goes', async () => {
    const browser = recordingBrowser(sandbox, 'second-browser');
    const shell = exportsOf((await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash'])).stdout);
    const result = await sandbox.run(['console'], { env: { ...shell, ...consoleEnv(), BROWSER: `no-such-browser-here:${browser.path} --new-window %s` } });
    expect(result.exitCode, result.stderr).toBe(0);
    const argv = browser.argv();
    expect(argv[0]).toBe('--new-window');
    expect(parseLoginUrl(argv[1]!).params.SigninToken).toBe(federation.tokens[0]);
  });

  it('no browser to open: exit 1, stdout empty, and it names --print', async () => {
    const shell = exportsOf((await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash'])).stdout);
    const result = await sandbox.run(['console'], { env: { ...shell, ...consoleEnv(), PATH: join(sandbox.home, 'empty-bin') } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no browser to open the AWS console with: xdg-open not found');
    expect(result.stderr).toContain('mfa-env console --print');
  });

  it('the endpoint refuses the session: exit 1, stdout empty, the status and what to do, no secret', async () => {
    federation.failWith = 400;
    const shell = exportsOf((await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash'])).stdout);
    const result = await sandbox.run(['console', '--print'], { env: { ...shell, ...consoleEnv() } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('refused the session (HTTP 400)');
    expect(result.stderr).toContain('mfa-env login --force');
    expect(result.stderr).not.toContain(shell.AWS_SECRET_ACCESS_KEY!);
  });

  it('a GetSessionToken session in the shell: refused with what works, and no request to the endpoint', async () => {
    const login = await sandbox.run(['login', '--profile', 'default', '--shell', 'bash', '--token-code', '444444']);
    expect(login.exitCode, login.stderr).toBe(0);
    const result = await sandbox.run(['console', '--print'], { env: { ...exportsOf(login.stdout), ...consoleEnv() } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('profile "default" has a GetSessionToken session, and the AWS console refuses those');
    expect(result.stderr).toContain('role_arn = ARN, source_profile = default');
    expect(result.stderr).toContain("sign in to the console itself with the IAM user's password and MFA device: https://signin.aws.amazon.com/console");
    expect(federation.calls).toHaveLength(0);
  });
});

describe('console: refused before any network call', () => {
  let sts: FakeSts;
  let federation: FakeFederation;
  let sandbox: Sandbox;

  beforeAll(async () => {
    sts = await startFakeSts();
    federation = await startFakeFederation();
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint, MFA_ENV_FEDERATION_URL: federation.url });
    sandbox.writeCredentials('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    sandbox.writeConfig('[default]\nregion = cn-north-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n');
  });
  afterAll(async () => {
    await sts?.close();
    await federation?.close();
    sandbox?.cleanup();
  });

  it('a GetSessionToken profile: refused at once, without asking for a code, no STS call, the partition\'s own sign-in page', async () => {
    const result = await sandbox.run(['console', '--profile', 'default']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('GetSessionToken session, and the AWS console refuses those');
    expect(result.stderr).toContain('https://signin.amazonaws.cn/console');
    expect(result.stderr).not.toContain('terminal');
    expect(sts.calls).toHaveLength(0);
    expect(federation.calls).toHaveLength(0);
  });

  it('MFA_ENV_FEDERATION_URL over plain http to a non-loopback host: a usage error before any call', async () => {
    const result = await sandbox.run(['console', '--profile', 'admin'], { env: { MFA_ENV_FEDERATION_URL: 'http://signin.example.com/federation' } });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('MFA_ENV_FEDERATION_URL must be an https URL');
    expect(sts.calls).toHaveLength(0);
  });

  it('--help: a description and examples on stdout', async () => {
    const result = await sandbox.run(['console', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('$ mfa-env console --profile admin --print');
    expect(result.stdout).toMatch(/^Examples$/m);
  });
});

describe('console endpoints per partition', () => {
  it('aws, aws-cn and aws-us-gov: federation endpoint and the console of the region', () => {
    expect(partitionOf('eu-central-1')).toBe('aws');
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-east-1', 'arn:aws-us-gov:sts::123456789012:assumed-role/a/b')).toBe('aws-us-gov');
    expect(() => partitionOf('us-iso-east-1')).toThrow(/isolated AWS partition/);
    expect(federationEndpoint('aws')).toBe('https://signin.aws.amazon.com/federation');
    expect(federationEndpoint('aws-cn')).toBe('https://signin.amazonaws.cn/federation');
    expect(federationEndpoint('aws-us-gov')).toBe('https://signin.amazonaws-us-gov.com/federation');
    expect(consoleHome('aws', 'eu-central-1')).toBe('https://eu-central-1.console.aws.amazon.com/console/home?region=eu-central-1');
    expect(consoleHome('aws-cn', 'cn-northwest-1')).toBe('https://console.amazonaws.cn/console/home?region=cn-northwest-1');
    expect(consoleHome('aws-us-gov', 'us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1');
  });

  it('the login URL encodes the destination and the token as query values', () => {
    const url = new URL(loginUrl(new URL(federationEndpoint('aws')), 'tok+en/=', consoleHome('aws', 'eu-west-1')));
    expect(url.searchParams.get('Action')).toBe('login');
    expect(url.searchParams.get('SigninToken')).toBe('tok+en/=');
    expect(url.searchParams.get('Destination')).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
  });
});
