/**
 * moto with signature checking behind the recording proxy, one IAM user with keys and an MFA
 * device, roles it may assume, and a sandbox whose AWS_ENDPOINT_URL is the proxy: for the
 * tests of the login flags and the role durations (test/flags.test.ts, test/durations.test.ts).
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_ROLE_REQUESTS, SEED_USER_REQUESTS, seedRole, seedUser, startMoto, type Moto, type SeededUser } from '../helpers/moto.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { startRecordingProxy, type ProxiedCall, type RecordingProxy } from './recording-proxy.js';

export interface StsWorld {
  moto: Moto;
  proxy: RecordingProxy;
  user: SeededUser;
  roles: Record<string, string>;
  sandbox: Sandbox;
  /** The AssumeRole / GetSessionToken calls since the last `reset`. */
  sessionCalls(): ProxiedCall[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startStsWorld(roleNames: string[]): Promise<StsWorld> {
  const moto = await startMoto({ authAfter: SEED_USER_REQUESTS + roleNames.length * SEED_ROLE_REQUESTS });
  const user = await seedUser(moto, 'alice');
  const roles: Record<string, string> = {};
  // 12 h: the longest AssumeRole allows, so a role session of 2 h is the role's to give.
  for (const name of roleNames) roles[name] = await seedRole(moto, name, 43_200);
  const proxy = await startRecordingProxy(moto.endpoint);
  const sandbox = makeSandbox({ AWS_ENDPOINT_URL: proxy.url });
  sandbox.writeCredentials(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  return {
    moto,
    proxy,
    user,
    roles,
    sandbox,
    sessionCalls: () => proxy.calls.filter((call) => call.action === 'AssumeRole' || call.action === 'GetSessionToken'),
    reset: () => void (proxy.calls.length = 0),
    async stop() {
      await proxy.stop();
      await moto.stop();
      sandbox.cleanup();
    },
  };
}

let code = 400000;
/** A code not sent before in this process (mfa-env refuses a code twice). */
export const nextCode = () => String(code++);

/**
 * Makes the cached GetSessionToken session of `profile` one moto accepts as a signer: moto
 * answers GetSessionToken with fixed example keys it refuses itself, so the keys of a real
 * moto role session (of `roleArn`) stand in. The entry keeps its kind and fingerprint.
 */
export async function makeCachedSessionUsable(world: StsWorld, profile: string, roleArn: string): Promise<string> {
  const sts = new STSClient({ endpoint: world.moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: world.user.accessKeyId, secretAccessKey: world.user.secretAccessKey } });
  const answer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'stand-in', DurationSeconds: 43_200 }));
  sts.destroy();
  const path = join(world.sandbox.cacheDir, `session-${profile}.json`);
  const entry = JSON.parse(readFileSync(path, 'utf8')) as { session: Record<string, string> };
  const c = answer.Credentials!;
  Object.assign(entry.session, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  writeFileSync(path, JSON.stringify(entry), { mode: 0o600 });
  return c.AccessKeyId!;
}

/** `export NAME='value'` lines of bash output, as a record. */
export function exportsOf(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}
