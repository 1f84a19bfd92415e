import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { makeSandbox, type Sandbox } from './sandbox.js';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';

/** A real moto_server on 127.0.0.1, started for one test file and stopped after it. */
export interface Moto {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts moto. With `authAfter`, moto lets that many requests through unauthenticated (to seed
 * users and keys) and from then on checks SigV4 signatures and IAM policies for real.
 */
export async function startMoto(options: { authAfter?: number } = {}): Promise<Moto> {
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  if (options.authAfter !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.authAfter);
  const child: ResultPromise = execa('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    extendEnv: false,
    stdio: 'ignore',
    reject: false,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== undefined && child.exitCode !== null) throw new Error('moto_server exited at start');
    if (Date.now() > deadline) throw new Error('moto_server did not start within 30s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    port,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}

export interface SeededUser {
  userName: string;
  userArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A virtual MFA device enabled for the user. */
  serial: string;
}

/** Number of unauthenticated moto requests `seedUser` makes (for `authAfter`). */
export const SEED_USER_REQUESTS = 5;

/** Creates an IAM user with an allow-all policy, an access key and an enabled virtual MFA device. */
export async function seedUser(moto: Moto, userName = 'alice'): Promise<SeededUser> {
  const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
  const user = await iam.send(new CreateUserCommand({ UserName: userName }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }));
  const serial = device.VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  iam.destroy();
  return { userName, userArn: user.User!.Arn!, accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey!, serial };
}

/** Number of unauthenticated moto requests `seedRole` makes. */
export const SEED_ROLE_REQUESTS = 2;

/** A role any principal may assume, allowed everything (so its credentials can call S3). */
export async function seedRole(moto: Moto, roleName = 'admin', maxSessionDuration?: number): Promise<string> {
  const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      MaxSessionDuration: maxSessionDuration,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
  iam.destroy();
  return role.Role!.Arn!;
}

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** The standard profiles of a moto world: [default] with the user's keys and device, [profile admin] for the role. */
export function standardProfiles(user: SeededUser, roleArn: string): { credentials: string; config: string } {
  return {
    credentials: `[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`,
    config: `[default]\nregion = eu-west-1\nmfa_serial = ${user.serial}\n\n[profile admin]\nregion = us-east-1\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\n`,
  };
}

/**
 * moto with signature checking on, a user with an MFA device, a role it may assume, and a
 * sandbox whose [default] and [profile admin] use them (AWS_ENDPOINT_URL points at moto).
 */
export async function startMotoWorld(): Promise<{ moto: Moto; user: SeededUser; roleArn: string; sandbox: Sandbox }> {
  const moto = await startMoto({ authAfter: SEED_USER_REQUESTS + SEED_ROLE_REQUESTS });
  const user = await seedUser(moto);
  const roleArn = await seedRole(moto);
  const sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
  const { credentials, config } = standardProfiles(user, roleArn);
  sandbox.writeCredentials(credentials);
  sandbox.writeConfig(config);
  return { moto, user, roleArn, sandbox };
}

/**
 * Registers the hooks of a suite that runs all its tests against one moto world
 * (startMotoWorld): made before the first test, stopped and removed after the last. Read its
 * parts from the returned object inside tests and later hooks.
 */
export function useMotoWorld(): { readonly moto: Moto; readonly user: SeededUser; readonly roleArn: string; readonly sandbox: Sandbox } {
  let world: Awaited<ReturnType<typeof startMotoWorld>> | undefined;
  beforeAll(async () => {
    world = await startMotoWorld();
  });
  afterAll(async () => {
    await world?.moto.stop();
    world?.sandbox.cleanup();
  });
  return {
    get moto() {
      return world!.moto;
    },
    get user() {
      return world!.user;
    },
    get roleArn() {
      return world!.roleArn;
    },
    get sandbox() {
      return world!.sandbox;
    },
  };
}
