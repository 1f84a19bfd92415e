import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkCacheDir } from '../src/doctor/cache-dir.js';
import { checkAwsFile } from '../src/doctor/files.js';
import { checkNode } from '../src/doctor/runtime.js';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { freePort } from './helpers/moto.js';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CHECKS = ['config-file', 'credentials-file', 'profile', 'mfa-serial', 'long-term-keys', 'keys-location', 'credential-process', 'aws-profile', 'session', 'shell-integration', 'cache-dir', 'node', 'clock'];

interface Line {
  verdict: string;
  text: string;
}

/** `verdict  id: text` lines by id. */
function parse(stdout: string): Record<string, Line> {
  const lines: Record<string, Line> = {};
  for (const match of stdout.matchAll(/^(pass|warn|fail)  ([\w-]+): (.*)$/gm)) lines[match[2]!] = { verdict: match[1]!, text: match[3]! };
  return lines;
}

describe('doctor', () => {
  let sts: FakeSts;
  let sandbox: Sandbox;
  /** The environment of a shell with the integration loaded, STS on loopback. */
  let env: Record<string, string>;

  const doctor = async (args: string[] = [], extraEnv: Record<string, string | undefined> = {}) => {
    const result = await sandbox.run(['doctor', ...args], { env: { ...env, ...extraEnv } });
    return { ...result, lines: parse(result.stdout) };
  };

  beforeAll(async () => {
    sts = await startFakeSts();
  });
  afterAll(async () => {
    await sts.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox();
    sandbox.writeCredentials('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = ${SERIAL}\n`);
    chmodSync(sandbox.configFile, 0o600);
    mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
    chmodSync(sandbox.cacheDir, 0o700);
    env = { MFA_ENV_SHELL: 'bash', AWS_ENDPOINT_URL_STS: sts.endpoint, SHELL: '/bin/bash' };
    sts.headers = {};
    sts.calls.length = 0;
  });
  afterEach(() => sandbox.cleanup());

  it('a good setup: every check passes, exit 0, and the clock check sends no credentials', async () => {
    const result = await doctor();
    expect(result.exitCode, result.stdout).toBe(0);
    expect(Object.keys(result.lines)).toEqual(CHECKS);
    for (const id of CHECKS) expect(result.lines[id]!.verdict, `${id}: ${result.lines[id]!.text}`).toBe('pass');
    expect(result.lines['mfa-serial']!.text).toContain(SERIAL);
    expect(result.lines['long-term-keys']!.text).toContain('AKIA…MPLE');
    expect(result.stdout).not.toContain('wJalrXUtnFEMI');
    expect(result.stdout).toMatch(/^13 passed, 0 warnings, 0 failed$/m);
    expect(sts.calls).toHaveLength(1);
    expect(sts.calls[0]!.action).toBe('GetCallerIdentity');
    expect(sts.calls[0]!.headers.authorization).toBeUndefined();
  });

  describe('files', () => {
    it.each([
      [0o644, 'fail', 'readable by every user'],
      [0o640, 'warn', 'readable by your group'],
      [0o660, 'fail', 'writable by other users'],
    ])('credentials file with mode %o: %s', async (mode, verdict, words) => {
      chmodSync(sandbox.credentialsFile, mode);
      const result = await doctor();
      expect(result.lines['credentials-file']).toMatchObject({ verdict });
      expect(result.lines['credentials-file']!.text).toContain(words);
      expect(result.lines['credentials-file']!.text).toContain(`fix: chmod 600 '${sandbox.credentialsFile}'`);
      expect(result.exitCode).toBe(verdict === 'fail' ? 1 : 0);
    });

    it('a config file others can write to fails; one that holds keys fails when world-readable', async () => {
      chmodSync(sandbox.configFile, 0o666);
      expect((await doctor()).lines['config-file']).toMatchObject({ verdict: 'fail' });
      writeFileSync(sandbox.configFile, `[default]\nmfa_serial = ${SERIAL}\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n`);
      chmodSync(sandbox.configFile, 0o644);
      const result = await doctor();
      expect(result.lines['config-file']!.verdict).toBe('fail');
      expect(result.lines['config-file']!.text).toContain('holds secret keys');
    });

    it('missing files are warnings with the command that creates them; the missing keys fail', async () => {
      rmSync(sandbox.credentialsFile);
      const result = await doctor();
      expect(result.lines['credentials-file']!.verdict).toBe('warn');
      expect(result.lines['credentials-file']!.text).toContain('aws configure');
      // The profile has mfa_serial, so its keys may be in the OS keyring: the plan passes and the keys check fails.
      expect(result.lines['long-term-keys']!.verdict).toBe('fail');
      expect(result.exitCode).toBe(1);
    });
  });

  describe('profile', () => {
    it('an unknown profile fails and lists the known ones', async () => {
      const result = await doctor(['--profile', 'nope']);
      expect(result.lines.profile!.verdict).toBe('fail');
      expect(result.lines.profile!.text).toContain('known: default');
      expect(result.lines).not.toHaveProperty('long-term-keys');
      expect(result.exitCode).toBe(1);
    });

    it.each([
      ['bad serial!', 'fail', 'not a valid MFA serial'],
      ['arn:aws:iam::123456789012:user/alice', 'fail', 'a user ARN, not an MFA device ARN'],
      ['GAHT12345678', 'pass', 'GAHT12345678'],
    ])('mfa_serial %s: %s', async (serial, verdict, words) => {
      sandbox.writeConfig(`[default]\nmfa_serial = ${serial}\n`);
      const result = await doctor();
      expect(result.lines['mfa-serial']).toMatchObject({ verdict });
      expect(result.lines['mfa-serial']!.text).toContain(words);
      // The other checks still report on the profile.
      expect(result.lines.profile!.verdict).toBe('pass');
      expect(result.lines['long-term-keys']!.verdict).toBe('pass');
    });

    it('no mfa_serial: a warning that points at mfa-env setup', async () => {
      sandbox.writeConfig('[default]\nregion = us-east-1\n');
      const result = await doctor();
      expect(result.lines['mfa-serial']!.verdict).toBe('warn');
      expect(result.lines['mfa-serial']!.text).toContain('mfa-env setup --profile default');
      expect(result.exitCode).toBe(0);
    });

    it.each([
      ['no keys', '[default]\nregion = us-east-1\n', 'long-term-keys', 'has no aws_access_key_id'],
      ['session credentials', '[default]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\naws_session_token = t\n', 'long-term-keys', 'holds session credentials (ASIA…MPLE)'],
      ['half a key pair', '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n', 'long-term-keys', 'has no aws_secret_access_key'],
    ])('%s: fails', async (_, credentials, id, words) => {
      sandbox.writeCredentials(credentials);
      const result = await doctor();
      expect(result.lines[id]!.verdict).toBe('fail');
      expect(result.lines[id]!.text).toContain(words);
      expect(result.exitCode).toBe(1);
    });

    it('a role profile takes the serial and keys of its source profile', async () => {
      sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n`);
      const result = await doctor(['--profile', 'admin']);
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.lines.profile!.text).toContain('AssumeRole arn:aws:iam::123456789012:role/admin, keys from profile "default"');
      expect(result.lines['mfa-serial']!.text).toContain('[default]');
    });

    it('a credential_process that asks mfa-env for its own profile fails, directly or through its source', async () => {
      sandbox.writeConfig(
        `[default]\nmfa_serial = ${SERIAL}\n\n[profile loop]\nmfa_serial = ${SERIAL}\ncredential_process = mfa-env credential-process --profile loop\n\n` +
          `[profile a]\ncredential_process = node ${CLI} credential-process --profile=b\n\n[profile b]\nsource_profile = a\nmfa_serial = ${SERIAL}\n\n` +
          `[profile dev-mfa]\ncredential_process = mfa-env credential-process --profile default\n`,
      );
      const result = await doctor(['--profile', 'loop']);
      expect(result.lines['credential-process']!.verdict).toBe('fail');
      expect(result.lines['credential-process']!.text).toContain('profile "loop" runs mfa-env credential-process for itself');
      expect(result.lines['credential-process']!.text).toContain('profile "b" gets its keys from "a"');
      expect(result.lines['long-term-keys']!.verdict).toBe('fail');
      expect(result.lines['long-term-keys']!.text).toContain('recurse forever');
      expect(result.exitCode).toBe(1);
    });

    it('the recommended credential_process layout passes', async () => {
      sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\n\n[profile dev-mfa]\ncredential_process = mfa-env credential-process --profile default\n`);
      const result = await doctor();
      expect(result.lines['credential-process']).toMatchObject({ verdict: 'pass', text: 'mfa-env credential-process used by dev-mfa → default' });
    });
  });

  describe('environment', () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    const mfaSession = {
      AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      MFA_ENV_PROFILE: 'default',
      MFA_ENV_EXPIRES: String(future),
      AWS_CREDENTIAL_EXPIRATION: new Date(future * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };

    it('AWS_PROFILE next to exported keys fails; AWS_PROFILE alone passes', async () => {
      const both = await doctor([], { ...mfaSession, AWS_PROFILE: 'default' });
      expect(both.lines['aws-profile']!.verdict).toBe('fail');
      expect(both.lines['aws-profile']!.text).toContain('unset AWS_PROFILE');
      expect(both.exitCode).toBe(1);
      const alone = await doctor([], { AWS_PROFILE: 'default' });
      expect(alone.lines['aws-profile']!.verdict).toBe('pass');
    });

    it('session variables: mfa-env\'s own pass, another tool\'s or a tampered or expired one warn', async () => {
      expect((await doctor([], mfaSession)).lines.session!.verdict).toBe('pass');
      const foreign = await doctor([], { AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' });
      expect(foreign.lines.session).toMatchObject({ verdict: 'warn' });
      expect(foreign.lines.session!.text).toContain('MFA_ENV_PROFILE is not');
      const replaced = await doctor([], { ...mfaSession, AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z' });
      expect(replaced.lines.session!.text).toContain('does not match MFA_ENV_EXPIRES');
      const expired = await doctor([], { ...mfaSession, MFA_ENV_EXPIRES: '1700000000', AWS_CREDENTIAL_EXPIRATION: '2023-11-14T22:13:20Z' });
      expect(expired.lines.session).toMatchObject({ verdict: 'warn' });
      expect(expired.lines.session!.text).toContain('expired');
    });

    it('no shell integration: a warning with the line for the user\'s shell', async () => {
      const result = await doctor([], { MFA_ENV_SHELL: undefined, SHELL: '/usr/bin/zsh' });
      expect(result.lines['shell-integration']!.verdict).toBe('warn');
      expect(result.lines['shell-integration']!.text).toContain(`add \`eval "$(mfa-env init zsh)"\` to ${join(sandbox.home, '.zshrc')}`);
      expect(result.exitCode).toBe(0);
    });

    it('set up in the rc file but not loaded in this shell: a warning that says to open a new shell', async () => {
      writeFileSync(join(sandbox.home, '.bashrc'), '# >>> mfa-env >>>\neval "$(mfa-env init bash)"\n# <<< mfa-env <<<\n');
      const result = await doctor([], { MFA_ENV_SHELL: undefined, SHELL: '/bin/bash' });
      expect(result.lines['shell-integration']!.verdict).toBe('warn');
      expect(result.lines['shell-integration']!.text).toContain(`though ${join(sandbox.home, '.bashrc')} loads it`);
      expect(result.lines['shell-integration']!.text).toContain('open a new shell');
    });
  });

  describe('cache dir', () => {
    it.each([
      [0o777, 'fail', 'writable by other users'],
      [0o755, 'warn', 'readable by other users'],
    ])('mode %o: %s', async (mode, verdict, words) => {
      chmodSync(sandbox.cacheDir, mode);
      const result = await doctor();
      expect(result.lines['cache-dir']).toMatchObject({ verdict });
      expect(result.lines['cache-dir']!.text).toContain(words);
    });

    it('a cache entry others can read is a warning', async () => {
      writeFileSync(join(sandbox.cacheDir, 'session-default.json'), '{}', { mode: 0o644 });
      chmodSync(join(sandbox.cacheDir, 'session-default.json'), 0o644);
      const result = await doctor();
      expect(result.lines['cache-dir']!.verdict).toBe('warn');
      expect(result.lines['cache-dir']!.text).toContain('session-default.json');
    });
  });

  describe('clock against the Date header of STS', () => {
    const dateOff = (seconds: number) => new Date(Date.now() + seconds * 1000).toUTCString();

    it('10 minutes off: fail, exit 1', async () => {
      sts.headers = { date: dateOff(-600) };
      const result = await doctor();
      expect(result.lines.clock!.verdict).toBe('fail');
      expect(result.lines.clock!.text).toMatch(/this clock is (59\d|60\d) s ahead of STS/);
      expect(result.lines.clock!.text).toContain('timedatectl');
      expect(result.exitCode).toBe(1);
    });

    it('90 seconds off: warn', async () => {
      sts.headers = { date: dateOff(90) };
      const result = await doctor();
      expect(result.lines.clock!.verdict).toBe('warn');
      expect(result.lines.clock!.text).toMatch(/this clock is (8\d|9\d) s behind STS/);
      expect(result.exitCode).toBe(0);
    });

    it('STS unreachable or silent: warn "could not reach STS", quickly', async () => {
      const closed = await freePort();
      const refused = await doctor([], { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${closed}` });
      expect(refused.lines.clock!.verdict).toBe('warn');
      expect(refused.lines.clock!.text).toContain(`could not reach STS at http://127.0.0.1:${closed} (ECONNREFUSED)`);
      sts.answer = () => ({ kind: 'hang' });
      const started = Date.now();
      const silent = await doctor();
      expect(silent.lines.clock!.text).toContain('could not reach STS');
      expect(silent.lines.clock!.text).toContain('(ETIMEDOUT)');
      expect(Date.now() - started).toBeLessThan(8_000);
      sts.answer = () => ({ kind: 'credentials' });
    });

    it('the endpoint is found the SDK\'s way: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the profile\'s endpoint_url', async () => {
      sts.headers = { date: dateOff(-600) };
      const closed = `http://127.0.0.1:${await freePort()}`;
      const specific = await doctor([], { AWS_ENDPOINT_URL: closed });
      expect(specific.lines.clock!.verdict).toBe('fail');
      const global = await doctor([], { AWS_ENDPOINT_URL_STS: undefined, AWS_ENDPOINT_URL: sts.endpoint });
      expect(global.lines.clock!.verdict).toBe('fail');
      sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\nendpoint_url = ${sts.endpoint}\n`);
      const fromProfile = await doctor([], { AWS_ENDPOINT_URL_STS: undefined });
      expect(fromProfile.lines.clock!.verdict).toBe('fail');
      expect(fromProfile.lines.clock!.text).toContain(sts.endpoint);
    });
  });
});

describe('doctor checks that a sandbox cannot stage', () => {
  it('Node.js older than 20 fails', () => {
    expect(checkNode('18.20.4')).toMatchObject({ verdict: 'fail' });
    expect(checkNode('20.0.0')).toMatchObject({ verdict: 'pass' });
    expect(checkNode('22.11.0')).toMatchObject({ verdict: 'pass' });
  });

  it('a cache dir or AWS file owned by someone else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-env-doctor-'));
    try {
      chmodSync(dir, 0o700);
      const owner = statSync(dir).uid;
      expect(checkCacheDir(dir, owner)).toMatchObject({ verdict: 'pass' });
      const foreign = checkCacheDir(dir, owner + 1);
      expect(foreign).toMatchObject({ verdict: 'fail' });
      expect(foreign.message).toContain(`owned by uid ${owner}`);
      const file = join(dir, 'credentials');
      writeFileSync(file, '[default]\n', { mode: 0o600 });
      expect(checkAwsFile('credentials', file, owner)).toMatchObject({ verdict: 'pass' });
      expect(checkAwsFile('credentials', file, owner + 1)).toMatchObject({ verdict: 'warn' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
