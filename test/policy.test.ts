import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from './helpers/moto.js';
import { makeSandbox, runCli, type Sandbox } from './helpers/sandbox.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const SELF_SERVICE = ['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];
const NO_MFA = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };

async function policy(args: string[]): Promise<{ text: string; policy: Policy }> {
  const result = await runCli(['policy', ...args], { PATH: process.env.PATH, HOME: '/nonexistent' });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return { text: result.stdout, policy: JSON.parse(result.stdout) as Policy };
}

const MAX_AGES: Array<[string | undefined, number | undefined]> = [
  [undefined, undefined],
  ['90m', 5400],
  ['3600', 3600],
];
const SERVICES: Array<string[] | undefined> = [undefined, ['s3'], ['s3', 'dynamodb']];
const SELF: boolean[] = [false, true];
const COMBINATIONS = MAX_AGES.flatMap((maxAge) => SERVICES.flatMap((services) => SELF.map((self) => ({ maxAge, services, self }))));

describe('mfa-env policy', () => {
  it.each(COMBINATIONS)('max-age $maxAge.0, services $services, self-service $self', async ({ maxAge: [maxAgeFlag, maxAgeSeconds], services, self }) => {
    const args = [
      ...(maxAgeFlag ? ['--max-age', maxAgeFlag] : []),
      ...(services ?? []).flatMap((service) => ['--service', service]),
      ...(self ? ['--self-service'] : []),
    ];
    const { text, policy: document } = await policy(args);
    // 4-space indent, as printed by AWS's own examples, one trailing newline.
    expect(text).toBe(`${JSON.stringify(document, null, 4)}\n`);
    expect(document.Version).toBe('2012-10-17');

    const denies = document.Statement.filter((s) => s.Effect === 'Deny');
    const allows = document.Statement.filter((s) => s.Effect === 'Allow');
    expect(denies).toHaveLength(maxAgeFlag ? 2 : 1);
    expect(new Set(document.Statement.map((s) => s.Sid)).size).toBe(document.Statement.length);

    // Scope of every deny: NotAction (everything but self-service) or exactly the services.
    for (const deny of denies) {
      expect(deny.Resource).toBe('*');
      if (services) {
        expect(deny.NotAction).toBeUndefined();
        const actions = services.map((service) => `${service}:*`);
        expect(deny.Action).toEqual(actions.length === 1 ? actions[0] : actions);
      } else {
        expect(deny.Action).toBeUndefined();
        expect(deny.NotAction).toEqual(expect.arrayContaining(SELF_SERVICE));
        // Nothing that would let a user without MFA do more than set up a device.
        expect(deny.NotAction!.every((action) => /^iam:|^sts:GetSessionToken$/.test(action))).toBe(true);
        expect(deny.NotAction).not.toContain('iam:DeactivateMFADevice');
        expect(deny.NotAction).not.toContain('iam:*');
      }
    }
    const noMfa = denies.filter((s) => s.Condition?.BoolIfExists);
    expect(noMfa).toHaveLength(1);
    expect(noMfa[0]!.Condition).toEqual(NO_MFA);
    if (maxAgeSeconds !== undefined) {
      const age = denies.find((s) => s.Condition?.NumericGreaterThanIfExists)!;
      expect(age.Condition).toEqual({ NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': String(maxAgeSeconds) } });
    }

    if (!self) {
      expect(allows).toHaveLength(0);
      return;
    }
    // Self-service: each user manages only their own device and user; deactivating needs MFA.
    const allowed = (action: string) => allows.filter((s) => ([] as string[]).concat(s.Action ?? []).includes(action));
    for (const action of ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice']) {
      expect(allowed(action).map((s) => s.Resource)).toEqual(['arn:aws:iam::*:mfa/${aws:username}']);
    }
    for (const action of ['iam:EnableMFADevice', 'iam:ResyncMFADevice', 'iam:ListMFADevices', 'iam:GetUser', 'iam:ChangePassword']) {
      expect(allowed(action).map((s) => s.Resource)).toEqual(['arn:aws:iam::*:user/${aws:username}']);
    }
    const deactivate = allowed('iam:DeactivateMFADevice');
    expect(deactivate).toHaveLength(1);
    expect(deactivate[0]!.Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    expect(allowed('iam:ListVirtualMFADevices').map((s) => s.Resource)).toEqual(['*']);
    // No allow statement grants anything outside IAM self-service.
    expect(allows.flatMap((s) => ([] as string[]).concat(s.Action ?? [])).every((action) => action.startsWith('iam:'))).toBe(true);
  });

  it.each([
    [['--max-age', 'soon'], /invalid --max-age "soon"/],
    [['--max-age', '0'], /invalid --max-age "0"/],
    [['--max-age', '37h'], /invalid --max-age "37h"/],
    [['--service', 'S3'], /invalid --service "S3"/],
    [['--service', 's3:*'], /invalid --service "s3:\*"/],
    [['--service', 'sts'], /sts:GetSessionToken/],
    [['--service', 'iam'], /IAM actions that set up an MFA device/],
    [['--service', 's3', '--service', 'sts'], /--service sts/],
    [['--self-service=yes'], /./],
  ])('%j is a usage error: exit 2, nothing on stdout', async (args, message) => {
    const result = await runCli(['policy', ...args], { PATH: process.env.PATH, HOME: '/nonexistent' });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('--help shows the options and examples', async () => {
    const result = await runCli(['policy', '--help'], { PATH: process.env.PATH, HOME: '/nonexistent' });
    expect(result.exitCode).toBe(0);
    for (const text of ['--max-age', '--service', '--self-service', 'aws iam create-policy']) expect(result.stdout).toContain(text);
  });
});

/**
 * The policy against moto's IAM: every variant is accepted by CreatePolicy (moto validates the
 * document's grammar), and moto's policy engine enforces it on signed requests. moto does not
 * evaluate BoolIfExists (it treats unsupported condition operators as matching), so every
 * request counts as "without MFA": exactly what long-term keys get on AWS. What that proves:
 * with the policy attached, long-term keys can do nothing but MFA self-service, and the whole
 * mfa-env flow (setup: GetCallerIdentity + ListMFADevices; login: GetSessionToken) still works.
 */
describe('the policy in moto', () => {
  let moto: Moto;
  let sandbox: Sandbox;
  const SEED_REQUESTS = 6;

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_REQUESTS });
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'all', PolicyDocument: allowAll }));
    const requireMfa = (await policy([])).text;
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'require-mfa', PolicyDocument: requireMfa }));
    // An enabled virtual device, so setup finds one and login has a serial.
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bob' }));
    await iam.send(new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber: device.VirtualMFADevice!.SerialNumber!, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    iam.destroy();
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${key.AccessKey!.AccessKeyId}\naws_secret_access_key = ${key.AccessKey!.SecretAccessKey}\n`);
    sandbox.writeConfig('[default]\nregion = us-east-1\n');
  });
  afterAll(async () => {
    await moto?.stop();
    sandbox?.cleanup();
  });

  const aws = (args: string[]) =>
    execa('aws', [...args, '--output', 'json'], {
      env: { PATH: process.env.PATH!, HOME: sandbox.home, AWS_ENDPOINT_URL: moto.endpoint, AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile },
      extendEnv: false,
      reject: false,
    });

  it('every variant is a valid policy document to IAM', async () => {
    // bob cannot manage policies without MFA (that is the point): a moto without auth checks the grammar.
    const plain = await startMoto();
    try {
      const admin = new IAMClient({ endpoint: plain.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'a' } });
      for (const [index, { maxAge, services, self }] of COMBINATIONS.entries()) {
        const args = [...(maxAge[0] ? ['--max-age', maxAge[0]] : []), ...(services ?? []).flatMap((s) => ['--service', s]), ...(self ? ['--self-service'] : [])];
        const { text } = await policy(args);
        const created = await admin.send(new CreatePolicyCommand({ PolicyName: `require-mfa-${index}`, PolicyDocument: text }));
        expect(created.Policy?.Arn).toContain(`require-mfa-${index}`);
      }
      // …and the validator is real: a broken document is refused.
      await expect(admin.send(new CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }) }))).rejects.toThrow();
      admin.destroy();
    } finally {
      await plain.stop();
    }
  });

  it('long-term keys: S3 and EC2 are denied, MFA self-service is not', async () => {
    const s3 = await aws(['s3api', 'list-buckets']);
    expect(s3.exitCode).not.toBe(0);
    expect(String(s3.stderr)).toMatch(/AccessDenied|not authorized/);
    const ec2 = await aws(['ec2', 'describe-regions']);
    expect(ec2.exitCode).not.toBe(0);
    const devices = await aws(['iam', 'list-mfa-devices', '--user-name', 'bob']);
    expect(devices.exitCode, String(devices.stderr)).toBe(0);
    const virtual = await aws(['iam', 'list-virtual-mfa-devices']);
    expect(virtual.exitCode, String(virtual.stderr)).toBe(0);
  });

  it('mfa-env setup and login still work under the policy', async () => {
    const setup = await sandbox.run(['setup']);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('arn:aws:iam::123456789012:mfa/bob');
    const login = await sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stdout).toContain('AWS_SESSION_TOKEN');
  });
});
