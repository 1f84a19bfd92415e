import { CreateAccessKeyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_USER_REQUESTS, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

/** A profile without mfa_serial: login finds the device with GetCallerIdentity + iam:ListMFADevices (moto, signatures checked). */
describe('login without mfa_serial looks the device up', () => {
  let moto: Moto;
  let alice: SeededUser;
  let bob: { accessKeyId: string; secretAccessKey: string };
  let sandbox: Sandbox;

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_USER_REQUESTS + 3 });
    alice = await seedUser(moto, 'alice');
    // bob: keys and permissions, no MFA device (3 unauthenticated requests).
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    iam.destroy();
    bob = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandbox.writeCredentials(
      `[alice]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n[bob]\naws_access_key_id = ${bob.accessKeyId}\naws_secret_access_key = ${bob.secretAccessKey}\n`,
    );
    sandbox.writeConfig('[profile alice]\nregion = us-east-1\n[profile bob]\nregion = us-east-1\n');
  });
  afterAll(async () => {
    await moto?.stop();
    sandbox?.cleanup();
  });

  it('one device: used, and the message says how to save it', async () => {
    const result = await sandbox.run(['login', '--profile', 'alice', '--shell', 'bash', '--token-code', '700001']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`using your only MFA device ${alice.serial}`);
    expect(result.stderr).toContain(`add \`mfa_serial = ${alice.serial}\` to [profile alice] in ${sandbox.configFile}`);
    expect(result.stdout).toMatch(/^(?:\\builtin )?\\?export AWS_SESSION_TOKEN=/m);
  });

  it('no device: fails with how to assign one, stdout empty', async () => {
    const result = await sandbox.run(['login', '--profile', 'bob', '--shell', 'bash', '--token-code', '700002']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/profile "bob" has no mfa_serial and IAM user bob has no MFA device/);
    expect(result.stderr).toMatch(/Assign MFA device/);
  });

  it('several devices: lists them and fails with a hint', async () => {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey } });
    const second = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-backup' }));
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: second.VirtualMFADevice!.SerialNumber!, AuthenticationCode1: '111111', AuthenticationCode2: '222222' }));
    iam.destroy();
    const result = await sandbox.run(['login', '--profile', 'alice', '--shell', 'bash', '--force', '--token-code', '700003']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('IAM user alice has 2 MFA devices');
    expect(result.stderr).toContain(alice.serial);
    expect(result.stderr).toContain(second.VirtualMFADevice!.SerialNumber!);
    expect(result.stderr).toMatch(/Pick one with `mfa-env setup --profile alice`/);
  });
});
