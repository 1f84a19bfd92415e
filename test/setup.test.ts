import { CreateAccessKeyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { execa } from 'execa';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_USER_REQUESTS, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { INTEGRATED_SHELLS } from './helpers/shells.js';
import { SHELLS } from '../src/shells/index.js';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** IAM requests made before moto starts checking signatures: alice (1 device), bob (2), carol (none). */
const SEED_REQUESTS = SEED_USER_REQUESTS * 2 + 2 + 3;
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

describe('mfa-env setup against moto_server (signature-checking)', () => {
  let moto: Moto;
  let alice: SeededUser;
  let bob: SeededUser;
  let bobBackup: string;
  let carol: Keys;
  const sandboxes: Sandbox[] = [];

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_REQUESTS });
    alice = await seedUser(moto, 'alice');
    bob = await seedUser(moto, 'bob');
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bob-backup' }));
    bobBackup = device.VirtualMFADevice!.SerialNumber!;
    await iam.send(new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber: bobBackup, AuthenticationCode1: '111111', AuthenticationCode2: '222222' }));
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
    carol = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    iam.destroy();
  });
  afterAll(async () => {
    await moto?.stop();
    for (const sandbox of sandboxes) sandbox.cleanup();
  });

  const section = (name: string, keys: Keys, extra = '') => `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n${extra}`;

  function sandboxWith(credentials: string, config?: string): Sandbox {
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandboxes.push(sandbox);
    sandbox.writeCredentials(credentials);
    if (config === undefined) rmSync(sandbox.configFile, { force: true });
    else sandbox.writeConfig(config);
    return sandbox;
  }

  function expectFailureLeftFilesAlone(sandbox: Sandbox, result: { exitCode: number; stdout: string }, credentials: string, config: string) {
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(credentials);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(config);
  }

  it('one device: its serial lands in [profile alice] and no other byte of either file changes', async () => {
    const credentials = `# keys\n${section('alice', alice)}\n${section('bob', bob)}`;
    const before = '# my AWS config\n\n[default]\nregion = eu-west-1\n\n[profile alice]\t; the main account\nregion=eu-central-1\n  # keep this comment\noutput   =   json\n';
    const after = '\n\n# below: not alice\n[profile other]\nregion = us-east-2';
    const sandbox = sandboxWith(credentials, before + after);
    chmodSync(sandbox.configFile, 0o644);

    const result = await sandbox.run(['setup', '--profile', 'alice']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`work: ${alice.userArn} in account 123456789012`);
    expect(result.stderr).not.toContain(alice.secretAccessKey);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(`${before}mfa_serial = ${alice.serial}\n${after}`);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(credentials);
    // The config holds no secrets: its mode is kept, not tightened behind the user's back.
    expect(statSync(sandbox.configFile).mode & 0o777).toBe(0o644);
    // The closing instructions are on stdout: the saved serial, the shell integration, the login.
    expect(result.stdout).toContain(`mfa_serial = ${alice.serial} is saved in [profile alice] of ${sandbox.configFile}`);
    for (const line of [...INTEGRATED_SHELLS.map((shell) => SHELLS[shell].integration!.initLine('mfa-env')), 'mfa-env login --profile alice']) {
      expect(result.stdout).toContain(line);
    }

    // Run through the shell function (MFA_ENV_SHELL set), setup does not ask to load it again.
    const integrated = await sandbox.run(['setup', '--profile', 'alice'], { env: { MFA_ENV_SHELL: 'zsh' } });
    expect(integrated.exitCode, integrated.stderr).toBe(0);
    expect(integrated.stdout).toContain('The zsh integration is loaded; log in with: mfa-env login --profile alice');
    expect(integrated.stdout).not.toContain('mfa-env init');

    // login now uses the saved serial: no device lookup, and the session comes back.
    const login = await sandbox.run(['login', '--profile', 'alice', '--shell', 'bash', '--token-code', '123456']);
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stderr).not.toMatch(/has no mfa_serial/);
  });

  it('default profile without a config file: creates it with [default]; a second run changes nothing', async () => {
    const credentials = section('default', alice);
    const sandbox = sandboxWith(credentials);
    const result = await sandbox.run(['setup']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(`[default]\nmfa_serial = ${alice.serial}\n`);
    expect(statSync(sandbox.configFile).mode & 0o777).toBe(0o600);
    expect(result.stdout).toMatch(/Then, in a new shell: mfa-env login\n/);

    const mtime = statSync(sandbox.configFile).mtimeMs;
    const again = await sandbox.run(['setup']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain(`mfa_serial of profile "default" is already ${alice.serial}`);
    expect(statSync(sandbox.configFile).mtimeMs).toBe(mtime);
  });

  it('a wrong serial is replaced where the SDK reads it: [profile default] over [default]', async () => {
    const config = '[default]\nregion = us-east-1\n\n[profile default]\nmfa_serial = arn:aws:iam::123456789012:mfa/old-phone\n';
    const sandbox = sandboxWith(section('default', alice), config);
    const result = await sandbox.run(['setup']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('replaced mfa_serial arn:aws:iam::123456789012:mfa/old-phone');
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(config.replace('mfa/old-phone', 'mfa/alice'));
  });

  it('mfa_serial kept in the credentials file (the [georgemfa] layout) is updated there', async () => {
    const credentials = section('georgemfa', alice, 'mfa_serial = arn:aws:iam::123456789012:mfa/lost\n');
    const sandbox = sandboxWith(credentials, '');
    const result = await sandbox.run(['setup', '--profile', 'georgemfa']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(credentials.replace('mfa/lost', 'mfa/alice'));
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe('');
    expect(result.stdout).toContain(`is saved in [georgemfa] of ${sandbox.credentialsFile}`);
  });

  it('a role profile: the device of its source_profile\'s user is saved in the role profile', async () => {
    const config = '[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = alice\n';
    const sandbox = sandboxWith(section('alice', alice), config);
    const result = await sandbox.run(['setup', '--profile', 'admin']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('the keys of profile "alice"');
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(`${config}mfa_serial = ${alice.serial}\n`);
  });

  it('two devices, no terminal: fails with both serials and the --serial hint, files unchanged', async () => {
    const credentials = section('default', bob);
    const config = '[default]\nregion = us-east-1\n';
    const sandbox = sandboxWith(credentials, config);
    const result = await sandbox.run(['setup']);
    expectFailureLeftFilesAlone(sandbox, result, credentials, config);
    expect(result.stderr).toContain('IAM user bob has 2 MFA devices and there is no terminal to choose on');
    expect(result.stderr).toContain(bob.serial);
    expect(result.stderr).toContain(bobBackup);
    expect(result.stderr).toMatch(/Choose one with --serial/);
  });

  it('two devices with --serial: that one is saved', async () => {
    const config = '[default]\nregion = us-east-1\n';
    const sandbox = sandboxWith(section('default', bob), config);
    const result = await sandbox.run(['setup', '--serial', bobBackup]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(`${config}mfa_serial = ${bobBackup}\n`);
  });

  it('two devices with a --serial that is not one of them: fails and lists them', async () => {
    const credentials = section('default', bob);
    const config = '[default]\nregion = us-east-1\n';
    const sandbox = sandboxWith(credentials, config);
    const result = await sandbox.run(['setup', '--serial', alice.serial]);
    expectFailureLeftFilesAlone(sandbox, result, credentials, config);
    expect(result.stderr).toContain(`--serial ${alice.serial} is not an MFA device of IAM user bob`);
    expect(result.stderr).toContain(bobBackup);
  });

  it('two devices on a terminal: the user picks one by number (typed through a real pty)', async () => {
    const config = '[default]\nregion = us-east-1\n';
    const sandbox = sandboxWith(section('default', bob), config);
    const result = await execa('script', ['-qfec', `${process.execPath} ${CLI} setup`, '/dev/null'], {
      env: sandbox.env,
      extendEnv: false,
      input: '2\n',
      reject: false,
      timeout: 30_000,
    });
    const screen = String(result.stdout);
    expect(result.exitCode, screen).toBe(0);
    expect(screen).toContain('IAM user bob has 2 MFA devices:');
    expect(screen).toMatch(/Which one\? \[1-2\]: /);
    // The listing's order is IAM's; whichever is second is the one saved.
    // Anchored to the listing's own lines: the masked key id in "(AKIA…1232) work:" may end in 2.
    const second = /^ {2}2\) (\S+)/m.exec(screen)![1]!;
    expect([bob.serial, bobBackup]).toContain(second);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(`${config}mfa_serial = ${second}\n`);
  });

  it('no device: says how to assign one, exit 1, files unchanged', async () => {
    const credentials = section('default', carol);
    const config = '[default]\nregion = us-east-1\n';
    const sandbox = sandboxWith(credentials, config);
    const result = await sandbox.run(['setup']);
    expectFailureLeftFilesAlone(sandbox, result, credentials, config);
    expect(result.stderr).toContain('IAM user carol has no MFA device that STS can use');
    expect(result.stderr).toContain('Assign MFA device');
    expect(result.stderr).toContain('aws iam create-virtual-mfa-device --virtual-mfa-device-name carol');
    expect(result.stderr).toContain('aws iam enable-mfa-device --user-name carol');
  });

  it('keys AWS does not know: the explained STS error, exit 1, nothing written', async () => {
    const credentials = section('default', { accessKeyId: 'AKIAUNKNOWNEXAMPLE01', secretAccessKey: 'nope' });
    const sandbox = sandboxWith(credentials, '');
    const result = await sandbox.run(['setup']);
    expectFailureLeftFilesAlone(sandbox, result, credentials, '');
    expect(result.stderr).toMatch(/does not know the access key id of profile "default"/);
  });

  it.each([
    [['--serial', 'not a serial'], /invalid MFA serial/],
    [['--profile', 'has space'], /invalid profile name/],
    [['--bogus'], /Unsupported option/],
  ])('%j is a usage error before any file or network access', async (args, message) => {
    // An endpoint nothing listens on: reaching the network would fail differently (exit 1).
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    sandboxes.push(sandbox);
    const result = await sandbox.run(['setup', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(existsSync(sandbox.configFile)).toBe(false);
  });
});
