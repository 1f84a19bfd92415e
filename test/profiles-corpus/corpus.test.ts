/**
 * Every layout of layouts.ts resolved by botocore (the AWS CLI's resolver, against moto with
 * signature checking, its STS calls recorded) and by mfa-env's src/aws/role-chain.ts. The hops
 * must stand for exactly botocore's calls (signer, role, serial, external id, session name,
 * duration, region), and mfa-env's own plan may differ only where the layout says so, and why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedProfile } from '../../src/aws/role-chain.js';
import { MfaEnvError } from '../../src/errors.js';
import { CONTAINER_TOKEN, startContainerEndpoint } from '../helpers/container-endpoint.js';
import { startImds, type LoopbackServer } from '../helpers/imds.js';
import { SEED_ROLE_REQUESTS, SEED_USER_REQUESTS, seedRole, seedUser, startMoto, type Moto, type SeededUser } from '../helpers/moto.js';
import type { AwsFiles } from '../../src/aws/profiles.js';
import { identityOf, runMfaEnvLogin } from './e2e.js';
import { expectedCalls, resolveWithMfaEnv, runBotocore, writeLayout, type BotocoreRun, type Call } from './harness.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { LAYOUTS, type Layout } from './layouts.js';

const placeholderProfiles = (layout: Layout) => [...new Set([...`${layout.config}${layout.credentials ?? ''}`.matchAll(/AKIA_(\w+)/g)].map((match) => match[1]!))];
const roleNames = [...new Set(LAYOUTS.flatMap((layout) => [...layout.config.concat(layout.credentials ?? '').matchAll(/:role\/([\w+=,.@-]+)/g)].map((match) => match[1]!)))];
/** Users behind credential_source and credential_process. */
const SOURCE_USERS = ['env', 'imds', 'container', 'process:proc'] as const;

let moto: Moto;
let imds: LoopbackServer;
let container: LoopbackServer;
let root: string;
const layoutUsers = new Map<string, Map<string, SeededUser>>();
const sourceUsers = new Map<string, SeededUser>();
const signerNames = new Map<string, string>();
const prepared = new Map<string, { files: AwsFiles; botocore: BotocoreRun }>();

beforeAll(async () => {
  const userCount = LAYOUTS.reduce((sum, layout) => sum + placeholderProfiles(layout).length, 0) + SOURCE_USERS.length;
  moto = await startMoto({ authAfter: userCount * SEED_USER_REQUESTS + roleNames.length * SEED_ROLE_REQUESTS });
  for (const [index, layout] of LAYOUTS.entries()) {
    const users = new Map<string, SeededUser>();
    for (const profile of placeholderProfiles(layout)) {
      const user = await seedUser(moto, `L${index}-${profile}`);
      users.set(profile, user);
      signerNames.set(user.accessKeyId, `static:${profile}`);
    }
    layoutUsers.set(layout.id, users);
  }
  for (const name of SOURCE_USERS) {
    const user = await seedUser(moto, name.replace(':', '-'));
    sourceUsers.set(name, user);
    signerNames.set(user.accessKeyId, name);
  }
  for (const role of roleNames) await seedRole(moto, role);
  imds = await startImds(sourceUsers.get('imds')!);
  container = await startContainerEndpoint(sourceUsers.get('container')!);
  root = mkdtempSync(join(tmpdir(), 'mfa-env-corpus-'));
  const jobs = LAYOUTS.map((layout) => ({ layout, files: prepare(layout), env: sourceEnv(layout) }));
  const runs = await runBotocore(jobs, (key) => signerNames.get(key));
  jobs.forEach((job, index) => prepared.set(job.layout.id, { files: job.files, botocore: runs[index]! }));
}, 180_000);

afterAll(async () => {
  await Promise.all([moto?.stop(), imds?.stop(), container?.stop()]);
  if (root) rmSync(root, { recursive: true, force: true });
});

function sourceEnv(layout: Layout): Record<string, string> {
  const env: Record<string, string> = { AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
  if (layout.source === 'Environment') {
    const user = sourceUsers.get('env')!;
    Object.assign(env, { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey });
  }
  if (layout.source === 'Ec2InstanceMetadata') Object.assign(env, { AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imds.url}/` });
  if (layout.source === 'EcsContainer') Object.assign(env, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN });
  return env;
}

function prepare(layout: Layout) {
  const users = layoutUsers.get(layout.id)!;
  const dir = join(root, layout.id);
  const files = writeLayout(dir, layout, (text) =>
    text.replace(/AKIA_(\w+)/g, (_, profile: string) => users.get(profile)!.accessKeyId).replace(/SECRET_(\w+)/g, (_, profile: string) => users.get(profile)!.secretAccessKey),
  );
  if (layout.process) {
    const user = sourceUsers.get('process:proc')!;
    writeFileSync(join(dir, 'process.json'), JSON.stringify({ Version: 1, AccessKeyId: user.accessKeyId, SecretAccessKey: user.secretAccessKey }));
  }
  return files;
}

/** The fields where two call lists differ: `serial` on a hop, or the calls themselves. */
function differences(botocore: Call[], mfaEnv: Call[]): string[] {
  if (botocore.length !== mfaEnv.length) return [mfaEnv.some((call) => call.action === 'GetSessionToken') ? 'sessionToken' : 'calls'];
  const fields = new Set<string>();
  botocore.forEach((call, index) => {
    for (const key of Object.keys(call) as Array<keyof Call>) {
      // Default session names differ by design (botocore-session-N, mfa-env-USER); both are "(default)".
      if (call[key] !== mfaEnv[index]![key]) fields.add(key);
    }
  });
  return [...fields];
}

describe('profiles corpus: mfa-env resolves like botocore', () => {
  it('has at least 30 layouts', () => expect(LAYOUTS.length).toBeGreaterThanOrEqual(30));

  for (const layout of LAYOUTS) {
    it(`${layout.id} (${layout.origin})`, async () => {
      const { files, botocore } = prepared.get(layout.id)!;
      const mine: ResolvedProfile | Error = await resolveWithMfaEnv(layout, files).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

      if (layout.error) {
        expect(botocore.error, 'botocore refuses it too').not.toBeNull();
        expect(botocore.calls).toEqual([]);
        expect(mine).toBeInstanceOf(MfaEnvError);
        expect((mine as MfaEnvError).message).toMatch(layout.error);
        return;
      }
      expect(botocore.error).toBeNull();
      if (layout.differs?.unreadable) {
        expect(botocore.calls.length).toBeGreaterThan(0);
        expect((mine as MfaEnvError).message).toMatch(/cannot be read by the AWS SDK's loader/);
        return;
      }
      if (mine instanceof Error) throw mine;
      // The hops stand for botocore's calls exactly.
      expect(expectedCalls(mine, 'botocore')).toEqual(botocore.calls);
      // The identity botocore ends with is the last hop's role (or the keys' user).
      const last = mine.hops.at(-1);
      if (last) expect(botocore.identity).toContain(`assumed-role/${last.roleArn.split('/').pop()}/`);
      else expect(botocore.identity).toMatch(new RegExp(`:user/L\\d+-${mine.first!.profile}$`));
      // mfa-env's own calls differ only where the layout says so.
      expect(differences(botocore.calls, expectedCalls(mine, 'mfa-env')).sort()).toEqual(Object.keys(layout.differs ?? {}).sort());
    });
  }
});

/**
 * mfa-env's calls made comparable with botocore's: each tool's default session name is
 * `(default)`; mfa-env always says how long (its defaults, 1 h for a role, 12 h for a session)
 * where botocore sends no DurationSeconds and STS's own default is the same 1 h for a role.
 */
function comparable(calls: Call[], resolved: ResolvedProfile): Call[] {
  const last = calls.length - 1;
  return calls.map((call, index) => {
    const sessionName = call.sessionName?.startsWith('mfa-env-') ? '(default)' : call.sessionName;
    const defaultRole = index === last && call.action === 'AssumeRole' && resolved.hops.at(-1)?.duration === undefined && call.duration === 3600;
    const defaultSession = call.action === 'GetSessionToken' && call.duration === 43200;
    return { ...call, sessionName, duration: defaultRole || defaultSession ? null : call.duration };
  });
}

describe('profiles corpus: `mfa-env login` end to end against moto, compared with botocore', () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await startRecordingProxy(moto.endpoint);
  });
  afterAll(async () => proxy?.stop());

  for (const [index, layout] of LAYOUTS.entries()) {
    it(`${layout.id}: login makes botocore's calls (but where the layout says why not) and ends as botocore's identity`, async () => {
      const { files, botocore } = prepared.get(layout.id)!;
      const code = String(200000 + index);
      const run = await runMfaEnvLogin(layout, files, sourceEnv(layout), proxy, { args: ['--token-code', code], signerName: (key) => signerNames.get(key) });
      if (layout.error || layout.differs?.unreadable) {
        expect(run.exitCode).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.calls).toEqual([]);
        expect(run.stderr).toMatch(layout.error ?? /cannot be read by the AWS SDK's loader/);
        return;
      }
      expect(run.exitCode, run.stderr).toBe(0);
      // Only mfa-env's own lines on stderr (no SDK warning), and no secret.
      for (const line of run.stderr.trimEnd().split('\n')) expect(line).toMatch(/^mfa-env: /);
      const resolved = await resolveWithMfaEnv(layout, files);
      const mine = comparable(run.calls, resolved);
      expect(differences(botocore.calls, mine).sort()).toEqual(Object.keys(layout.differs ?? {}).sort());
      // Where they differ, mfa-env makes exactly the calls its plan says (one code; GetSessionToken).
      const lookedUp = layoutUsers.get(layout.id)!.get(resolved.first?.profile ?? '')?.serial;
      const planned = expectedCalls(resolved, 'mfa-env').map((call) => (call.serial === '(looked up)' ? { ...call, serial: lookedUp ?? null } : call));
      expect(mine).toEqual(planned);
      // The code went with the hop that has the device, once.
      expect(proxy.calls.filter((call) => call.params.get('TokenCode') !== null).map((call) => call.params.get('TokenCode'))).toEqual(resolved.mfaSerial || resolved.flow === 'session' ? [code] : []);
      if (resolved.region) expect(run.exported.AWS_REGION).toBe(resolved.region);
      if (resolved.flow === 'session') {
        // moto answers GetSessionToken with fixed example keys it does not accept itself, so
        // the identity cannot be asked; the exported keys are the ones STS handed out.
        expect(run.exported.AWS_ACCESS_KEY_ID).toBe(proxy.calls.find((call) => call.action === 'GetSessionToken')!.returned);
        return;
      }
      const identity = await identityOf(run.exported, moto.endpoint);
      // The same role; the session names differ by default (botocore-session-N, mfa-env-USER).
      expect(identity?.replace(/[^/]+$/, '')).toBe(botocore.identity?.replace(/[^/]+$/, ''));
    }, 60_000);
  }
});
