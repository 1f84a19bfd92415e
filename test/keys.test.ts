import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';
import { tracedCli } from './helpers/processes.js';
import { startInPty } from './helpers/pty.js';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { secretToolLookup, startSecretService, type SecretService } from './helpers/secret-service.js';

/** Every line on stderr is mfa-env's, and neither stream holds the secret. */
function expectNoSecret(result: { stdout: string; stderr: string }, secret: string): void {
  expect(result.stdout).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
}

describe('keys against a real Secret Service and moto (signature-checking)', () => {
  let moto: Moto;
  let user: SeededUser;
  let sandbox: Sandbox;
  let keyring: SecretService;
  const run = (args: string[], input?: string) => sandbox.run(args, { env: keyring.env, input });

  beforeAll(async () => {
    ({ moto, user, sandbox } = await startMotoWorld());
    keyring = await startSecretService();
    sandbox.writeConfig(`${readFileSync(sandbox.configFile, 'utf8')}\n[profile dev]\nregion = eu-west-1\nmfa_serial = ${user.serial}\n`);
  });
  afterAll(async () => {
    await keyring?.stop();
    await moto?.stop();
    sandbox?.cleanup();
  });

  it('keys add reads two lines from stdin, checks them, stores them; a login of a profile without keys in the files signs with them', async () => {
    const added = await run(['keys', 'add', '--profile', 'dev'], `${user.accessKeyId}\n${user.secretAccessKey}\n`);
    expect(added.exitCode, added.stderr).toBe(0);
    expectNoSecret(added, user.secretAccessKey);
    expect(added.stderr).toContain(user.userArn);
    // libsecret's own tool finds the entry: it is in the Secret Service, not the kernel keyring.
    expect(JSON.parse((await secretToolLookup(keyring, 'dev'))!)).toEqual({ aws_access_key_id: user.accessKeyId, aws_secret_access_key: user.secretAccessKey });
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).not.toContain('[dev]');

    const login = await run(['login', '--profile', 'dev', '--shell', 'bash', '--token-code', '111111']);
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stdout).toContain('AWS_SESSION_TOKEN=');
    expectNoSecret(login, user.secretAccessKey);
  });

  it('keys add on a terminal: the id is echoed, the secret is not, and it is stored', async () => {
    const pty = startInPty(`${process.execPath} ${CLI} keys add --profile typed`, { ...sandbox.env, ...keyring.env });
    await pty.waitFor('Access key id for profile typed: ');
    pty.type(`${user.accessKeyId}\r`);
    await pty.waitFor('Secret access key (not shown): ');
    pty.type(`${user.secretAccessKey}\r`);
    await pty.waitFor('stored the keys of profile "typed"');
    const { exitCode, screen } = await pty.finish();
    expect(exitCode, screen).toBe(0);
    expect(screen).toContain(user.accessKeyId);
    expect(screen).not.toContain(user.secretAccessKey);
    expect(JSON.parse((await secretToolLookup(keyring, 'typed'))!).aws_secret_access_key).toBe(user.secretAccessKey);
  });

  it('keys add refuses keys STS does not accept and stores nothing', async () => {
    const bad = await run(['keys', 'add', '--profile', 'wrong'], `${user.accessKeyId}\n${'x'.repeat(40)}\n`);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('does not match its access key id');
    expect(await secretToolLookup(keyring, 'wrong')).toBeUndefined();
    const malformed = await run(['keys', 'add', '--profile', 'wrong'], 'ASIAEXAMPLEEXAMPLE12\nsecret\n');
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain('session key');
  });

  it('keys migrate removes exactly the two lines, keeps every other byte and the mode, and the login still works', async () => {
    const before = `# my keys\r\n[default]\r\nregion=eu-west-1 ; kept\r\nAWS_Access_Key_Id = ${user.accessKeyId}\r\n\taws_secret_access_key=${user.secretAccessKey}\r\n\r\n[other]\r\naws_access_key_id = AKIAOTHEROTHEROTHER1\r\naws_secret_access_key = otherotherotherotherotherotherotherother\r\n`;
    writeFileSync(sandbox.credentialsFile, before);
    chmodSync(sandbox.credentialsFile, 0o640);
    const migrated = await run(['keys', 'migrate', '--profile', 'default']);
    expect(migrated.exitCode, migrated.stderr).toBe(0);
    expectNoSecret(migrated, user.secretAccessKey);
    const after = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(after).toBe(before.replace(`AWS_Access_Key_Id = ${user.accessKeyId}\r\n`, '').replace(`\taws_secret_access_key=${user.secretAccessKey}\r\n`, ''));
    expect(statSync(sandbox.credentialsFile).mode & 0o777).toBe(0o640);
    expect(JSON.parse((await secretToolLookup(keyring, 'default'))!).aws_access_key_id).toBe(user.accessKeyId);

    const login = await run(['login', '--shell', 'bash', '--token-code', '222222']);
    expect(login.exitCode, login.stderr).toBe(0);

    // doctor: the keys are found in the keyring, not reported missing from the file.
    const doctor = await run(['doctor']);
    expect(doctor.stdout).toMatch(/^pass  long-term-keys: long-term key AKIA…\w{4} of profile "default" in the OS keyring$/m);
    expect(doctor.stdout).toMatch(/^pass  keys-location: the keys of profile "default" \(AKIA…\w{4}\) are in the OS keyring$/m);
  });

  it('doctor hints at keys migrate for a secret key in the credentials file', async () => {
    const doctor = await run(['doctor', '--profile', 'other']);
    expect(doctor.stdout).toMatch(/^pass  keys-location: the secret key of profile "other" is in the credentials file.*mfa-env keys migrate --profile other/m);
  });

  it('keys list shows where each profile\'s keys are, ids masked; --json too', async () => {
    const listed = await run(['keys', 'list', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const { keys } = JSON.parse(listed.stdout) as { keys: Array<{ profile: string; where: string; accessKeyId: string }> };
    const masked = `${user.accessKeyId.slice(0, 4)}…${user.accessKeyId.slice(-4)}`;
    expect(keys).toEqual([
      { profile: 'default', where: 'keyring', accessKeyId: masked },
      { profile: 'dev', where: 'keyring', accessKeyId: masked },
      { profile: 'other', where: 'file', accessKeyId: 'AKIA…HER1', path: sandbox.credentialsFile },
      { profile: 'typed', where: 'keyring', accessKeyId: masked },
    ]);
    const text = await run(['keys', 'list']);
    expect(text.stdout).not.toContain(user.accessKeyId);
    expect(text.stdout).toMatch(/^dev +AKIA…\w{4} +OS keyring$/m);
  });

  it('no secret reaches the argv of any process (strace of every exec)', async () => {
    const traced = tracedCli(sandbox, ['keys', 'add', '--profile', 'traced'], { env: keyring.env, input: `${user.accessKeyId}\n${user.secretAccessKey}\n` });
    const result = await traced.child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const execs = traced.execs();
    expect(execs.length).toBeGreaterThan(0);
    for (const exec of execs) expect(exec.argv).not.toContain(user.secretAccessKey);
    expectNoSecret({ stdout: String(result.stdout), stderr: String(result.stderr) }, user.secretAccessKey);
  });

  it('keys remove deletes the entry; a second remove says there is none', async () => {
    expect((await run(['keys', 'remove', '--profile', 'traced'])).exitCode).toBe(0);
    expect(await secretToolLookup(keyring, 'traced')).toBeUndefined();
    const again = await run(['keys', 'remove', '--profile', 'traced']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('holds no keys');
  });
});

describe('keys without a Secret Service (a session bus with nobody owning org.freedesktop.secrets)', () => {
  let bus: SecretService;
  let sandbox: Sandbox;

  beforeAll(async () => {
    bus = await startSecretService({ secrets: false });
    sandbox = makeSandbox();
  });
  afterAll(async () => {
    await bus?.stop();
    sandbox?.cleanup();
  });

  it('keys add and migrate fail fast with how to start one or keep the file; nothing is written anywhere', async () => {
    const credentials = '[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = secretsecretsecretsecretsecretsecret1234\n';
    sandbox.writeCredentials(credentials);
    const started = Date.now();
    const add = await sandbox.run(['keys', 'add'], { env: bus.env, input: 'AKIAEXAMPLEEXAMPLE12\nsecretsecretsecretsecretsecretsecret1234\n' });
    const migrate = await sandbox.run(['keys', 'migrate'], { env: bus.env });
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const result of [add, migrate]) {
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('no Secret Service (org.freedesktop.secrets)');
      expect(result.stderr).toContain('gnome-keyring-daemon --unlock --components=secrets');
      expect(result.stderr).toContain('keep the keys in the credentials file');
    }
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(credentials);
    // Not silently in the kernel keyring either (the addon's default store falls back to it).
    const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring') as typeof import('@napi-rs/keyring');
    expect(new Entry('mfa-env', 'default', { linux: { store: 'keyutils' } }).getPassword()).toBeNull();
  });

  it('a login with keys in the file still works without a keyring (keys list still lists the file)', async () => {
    const listed = await sandbox.run(['keys', 'list', '--json'], { env: bus.env });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { keys: unknown[]; keyringError?: string };
    expect(parsed.keys).toEqual([{ profile: 'default', where: 'file', accessKeyId: 'AKIA…LE12', path: sandbox.credentialsFile }]);
    expect(parsed.keyringError).toContain('Secret Service');
  });
});
