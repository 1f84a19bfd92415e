/**
 * First-hop credentials through the SDK's own providers: credential_source against loopback IMDS
 * and container endpoints reached through the SDK's variables; static keys never from the
 * environment; SSO says `aws sso login`; a denied iam:ListMFADevices says to add mfa_serial.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveCredentialSource, resolveFirstCredentials, resolveSourceCredentials } from '../src/aws/credentials.js';
import { findMfaDevices } from '../src/aws/mfa-devices.js';
import { MfaEnvError } from '../src/errors.js';
import { CONTAINER_TOKEN, startContainerEndpoint } from './helpers/container-endpoint.js';
import { startImds, type LoopbackServer } from './helpers/imds.js';
import { startMoto, type Moto } from './helpers/moto.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

const served = { accessKeyId: 'ASIASERVED', secretAccessKey: 'served-secret', token: 'served-token' };
const saved = { ...process.env };
let imds: LoopbackServer;
let container: LoopbackServer;

beforeAll(async () => {
  imds = await startImds(served);
  container = await startContainerEndpoint(served);
});
afterAll(async () => Promise.all([imds.stop(), container.stop()]));
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('credential_source with the SDK providers', () => {
  it('Ec2InstanceMetadata: IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT', async () => {
    Object.assign(process.env, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_EC2_METADATA_DISABLED: 'false' });
    expect(await resolveCredentialSource('Ec2InstanceMetadata', 'ec2')).toEqual({ accessKeyId: served.accessKeyId, secretAccessKey: served.secretAccessKey, sessionToken: served.token });
    expect(imds.requests[0]).toBe('PUT /latest/api/token');
  });

  it('EcsContainer: AWS_CONTAINER_CREDENTIALS_FULL_URI with its token; a wrong token fails with the hint', async () => {
    Object.assign(process.env, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN });
    expect((await resolveCredentialSource('EcsContainer', 'ecs')).accessKeyId).toBe(served.accessKeyId);
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'wrong';
    const error = await resolveCredentialSource('EcsContainer', 'ecs').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MfaEnvError);
    expect((error as MfaEnvError).message).toMatch(/credential_source = EcsContainer of profile "ecs" gave no credentials/);
    expect((error as MfaEnvError).message).not.toContain(served.secretAccessKey);
  });

  it('Environment: the one case that reads AWS_ACCESS_KEY_ID', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
    expect(await resolveCredentialSource('Environment', 'e')).toMatchObject({ accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret' });
  });
});

describe('files only, otherwise', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.cleanup());

  it('static keys come from the profile even with other keys in the environment', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-token' });
    sandbox = makeSandbox();
    const files = { configFile: sandbox.configFile, credentialsFile: sandbox.credentialsFile };
    const keys = await resolveFirstCredentials({ kind: 'static', profile: 'u' }, { u: { aws_access_key_id: 'AKIAFILE', aws_secret_access_key: 'file-secret' } }, files);
    expect(keys).toEqual({ accessKeyId: 'AKIAFILE', secretAccessKey: 'file-secret', sessionToken: undefined });
  });

  it('an SSO source without a login says `aws sso login`, not "add access keys"', async () => {
    sandbox = makeSandbox();
    // As in a real run: the SDK's nested SSO provider reads the files the variables name.
    Object.assign(process.env, { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile });
    sandbox.writeConfig('[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n[profile s]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n');
    const error = await resolveSourceCredentials('s', { configFile: sandbox.configFile, credentialsFile: sandbox.credentialsFile }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MfaEnvError);
    expect((error as MfaEnvError).message, (error as MfaEnvError).message).toMatch(/SSO/);
    expect((error as MfaEnvError).hint).toBe('Run `aws sso login --profile s`, then try again.');
    expect(String((error as MfaEnvError).hint)).not.toMatch(/aws_access_key_id/);
  });
});

describe('a denied iam:ListMFADevices (moto with signature and policy checks)', () => {
  let moto: Moto;
  afterAll(async () => moto?.stop());

  it('says to add mfa_serial', async () => {
    moto = await startMoto({ authAfter: 3 });
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'whoami', PolicyDocument: JSON.stringify(policy) }));
    iam.destroy();
    const sandbox = makeSandbox();
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile });
    const target = { configProfile: 'bob', region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, env: process.env };
    const error = await findMfaDevices(target, 'bob').catch((caught: unknown) => caught);
    sandbox.cleanup();
    expect(error).toBeInstanceOf(MfaEnvError);
    expect((error as MfaEnvError).message).toMatch(/iam:ListMFADevices was denied/);
    expect((error as MfaEnvError).message).not.toMatch(/STS ListMFADevices failed/);
    expect((error as MfaEnvError).hint).toMatch(/Add mfa_serial = .* to \[profile bob\]/);
  });
});
