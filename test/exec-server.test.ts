import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, type Sandbox } from './helpers/sandbox.js';
import { useMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';
import { cmdline, processTree } from './helpers/processes.js';

const require = createRequire(import.meta.url);
/** Absolute module paths, so a script in the sandbox loads the SDK of this checkout. */
const FROM_HTTP = require.resolve('@aws-sdk/credential-provider-http');
const CLIENT_STS = require.resolve('@aws-sdk/client-sts');

/** The JSON a node script prints as its last stdout line. */
function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/**
 * The cached MFA session of [default] that the role is chained from. Written here instead of
 * by a login: moto's GetSessionToken answers fixed example keys that moto itself refuses to
 * verify. Temporary credentials moto does verify (from an AssumeRole signed with the user's
 * keys) stand in for them: key id, secret and session token, like a real MFA session.
 */
async function cacheMfaSession(sandbox: Sandbox, moto: Moto, user: SeededUser, roleArn: string): Promise<void> {
  const sts = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey } });
  const { Credentials: temporary } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'stand-in-mfa-session', DurationSeconds: 43_200 }));
  sts.destroy();
  mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
  const session = {
    profile: 'default',
    kind: 'session',
    accessKeyId: temporary!.AccessKeyId!,
    secretAccessKey: temporary!.SecretAccessKey!,
    sessionToken: temporary!.SessionToken!,
    expiration: new Date(Date.now() + 12 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
  };
  writeFileSync(join(sandbox.cacheDir, 'session-default.json'), JSON.stringify({ version: 1, fingerprint: 'test', session }), { mode: 0o600 });
}

describe('exec --server against moto_server (signature checking)', () => {
  const world = useMotoWorld();

  beforeAll(async () => {
    // [profile short]: a 15-minute role session, for the renewal test.
    world.sandbox.writeConfig(
      `[default]\nregion = eu-west-1\nmfa_serial = ${world.user.serial}\n\n` +
        `[profile admin]\nregion = us-east-1\nrole_arn = ${world.roleArn}\nsource_profile = default\nmfa_serial = ${world.user.serial}\n\n` +
        `[profile short]\nregion = us-east-1\nrole_arn = ${world.roleArn}\nsource_profile = default\nmfa_serial = ${world.user.serial}\nduration_seconds = 900\n`,
    );
    await cacheMfaSession(world.sandbox, world.moto, world.user, world.roleArn);
  });

  const runServer = (profile: string, command: string[], env: Record<string, string> = {}) =>
    world.sandbox.run(['exec', '--server', '--profile', profile, '--', ...command], { env, timeout: 60_000 });

  it('the aws CLI (botocore\'s container provider) calls STS as the role, with no code asked', async () => {
    const result = await runServer('admin', ['aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^arn:aws:sts::\\d+:assumed-role/admin/`));
  });

  it('the JS SDK\'s default chain reaches the endpoint (no static keys anywhere) and calls STS as the role', async () => {
    const script = `
      const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(CLIENT_STS)});
      const sts = new STSClient({ endpoint: process.env.AWS_ENDPOINT_URL });
      sts.send(new GetCallerIdentityCommand({})).then(async (answer) => {
        const credentials = await sts.config.credentials();
        console.log(JSON.stringify({ arn: answer.Arn, source: credentials.$source }));
      }, (error) => { console.error(error.name + ': ' + error.message); process.exit(3); });`;
    const result = await runServer('admin', [process.execPath, '-e', script]);
    expect(result.exitCode, result.stderr).toBe(0);
    const { arn, source } = lastJson<{ arn: string; source: Record<string, string> }>(result.stdout);
    expect(arn).toMatch(/:assumed-role\/admin\//);
    // The SDK records which provider gave the credentials: the HTTP (container) one.
    expect(source.CREDENTIALS_HTTP).toBeDefined();
  });

  it('renews a role session before it ends: the JS SDK\'s fromHttp sees new keys on a later fetch, and they work', async () => {
    // A 15-minute session and a window of 14m55s: the first renewal is due about 5 s in.
    const script = `
      const { fromHttp } = require(${JSON.stringify(FROM_HTTP)});
      const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(CLIENT_STS)});
      (async () => {
        const first = await fromHttp()();
        let second = first;
        for (let i = 0; i < 60 && second.accessKeyId === first.accessKeyId; i++) {
          await new Promise((r) => setTimeout(r, 500));
          second = await fromHttp()();
        }
        const sts = new STSClient({ endpoint: process.env.AWS_ENDPOINT_URL, credentials: second });
        const answer = await sts.send(new GetCallerIdentityCommand({}));
        console.log(JSON.stringify({ first: first.accessKeyId, second: second.accessKeyId,
          firstEnds: first.expiration.toISOString(), secondEnds: second.expiration.toISOString(), arn: answer.Arn }));
      })().catch((error) => { console.error(error.name + ': ' + error.message); process.exit(3); });`;
    const result = await runServer('short', [process.execPath, '-e', script], { MFA_ENV_REFRESH_BEFORE: '14m55s' });
    expect(result.exitCode, result.stderr).toBe(0);
    const seen = lastJson<{ first: string; second: string; firstEnds: string; secondEnds: string; arn: string }>(result.stdout);
    expect(seen.second).not.toBe(seen.first);
    expect(Date.parse(seen.secondEnds)).toBeGreaterThan(Date.parse(seen.firstEnds));
    expect(seen.arn).toMatch(/:assumed-role\/admin\//);
    // Renewal is silent on the command's stderr.
    expect(result.stderr).not.toMatch(/renew/);
    // The renewed session went to the cache too, where the shells' Follow picks it up.
    const cached = JSON.parse(readFileSync(join(world.sandbox.cacheDir, 'session-short.json'), 'utf8')) as { session: { accessKeyId: string } };
    expect(cached.session.accessKeyId).not.toBe(seen.first);
  });

  it('answers 403 and no secret without the token or with a wrong one; 404 and 405 elsewhere; 200 with it', async () => {
    const script = `
      const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
      const ask = async (target, init) => { const r = await fetch(target, init); return { status: r.status, body: await r.text() }; };
      (async () => console.log(JSON.stringify({
        url,
        none: await ask(url),
        wrong: await ask(url, { headers: { Authorization: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') } }),
        longer: await ask(url, { headers: { Authorization: token + 'x' } }),
        otherPath: await ask(new URL('/other', url), { headers: { Authorization: token } }),
        post: await ask(url, { method: 'POST', headers: { Authorization: token } }),
        right: await ask(url, { headers: { Authorization: token } }),
      })))();`;
    const result = await runServer('admin', [process.execPath, '-e', script]);
    expect(result.exitCode, result.stderr).toBe(0);
    type Answer = { status: number; body: string };
    const seen = lastJson<Record<'none' | 'wrong' | 'longer' | 'otherPath' | 'post' | 'right', Answer> & { url: string }>(result.stdout);
    expect(new URL(seen.url).hostname).toBe('127.0.0.1');
    const served = JSON.parse(seen.right.body) as Record<string, string>;
    expect(seen.right.status).toBe(200);
    expect(Object.keys(served).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
    expect(served.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const refused of [seen.none, seen.wrong, seen.longer]) {
      expect(refused.status).toBe(403);
      for (const secret of [served.SecretAccessKey!, served.Token!, served.AccessKeyId!]) expect(refused.body).not.toContain(secret);
    }
    expect(seen.otherPath.status).toBe(404);
    expect(seen.post.status).toBe(405);
    expect(seen.post.body).not.toContain(served.SecretAccessKey);
  });

  it('passes the command\'s exit code back, and 128 + n for a signal', async () => {
    expect((await runServer('admin', ['sh', '-c', 'exit 7'])).exitCode).toBe(7);
    expect((await runServer('admin', ['sh', '-c', 'kill -TERM $$'])).exitCode).toBe(143);
    expect((await runServer('admin', ['no-such-command-here'])).exitCode).toBe(127);
  });

  it('the endpoint ends with the command', async () => {
    const result = await runServer('admin', ['sh', '-c', 'printf %s "$AWS_CONTAINER_CREDENTIALS_FULL_URI"']);
    expect(result.exitCode, result.stderr).toBe(0);
    await expect(fetch(result.stdout)).rejects.toThrow();
  });

  it('no static keys and no secret in the child\'s environment or argv (read from /proc), nor on mfa-env\'s stderr', async () => {
    const parentEnv = { AWS_ACCESS_KEY_ID: 'AKIAPARENTKEY0000001', AWS_SECRET_ACCESS_KEY: 'parent-secret', AWS_SESSION_TOKEN: 'parent-token', AWS_PROFILE: 'admin', MFA_ENV_PROFILE: 'admin' };
    const child = execa(process.execPath, [CLI, 'exec', '--server', '--profile', 'admin', '--', 'sh', '-c', 'echo ready; read line'], {
      env: { ...world.sandbox.env, ...parentEnv },
      extendEnv: false,
      detached: true,
      reject: false,
      timeout: 30_000,
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', () => reject(new Error('exec ended before the child was ready')));
    });
    const [, ...below] = processTree(child.pid!);
    expect(below.length).toBeGreaterThan(0);
    const environ = readFileSync(`/proc/${below[0]}/environ`, 'utf8').split('\0');
    const names = environ.map((line) => line.split('=')[0]);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'MFA_ENV_PROFILE']) expect(names).not.toContain(name);
    const url = environ.find((line) => line.startsWith('AWS_CONTAINER_CREDENTIALS_FULL_URI='))!.split('=')[1]!;
    const token = environ.find((line) => line.startsWith('AWS_CONTAINER_AUTHORIZATION_TOKEN='))!.slice('AWS_CONTAINER_AUTHORIZATION_TOKEN='.length);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const served = (await (await fetch(url, { headers: { Authorization: token } })).json()) as Record<string, string>;
    for (const pid of [child.pid!, ...below]) {
      const argv = cmdline(pid).join(' ');
      const env = pid === child.pid ? '' : readFileSync(`/proc/${pid}/environ`, 'utf8');
      for (const secret of [served.SecretAccessKey!, served.Token!]) {
        expect(argv).not.toContain(secret);
        expect(env).not.toContain(secret);
      }
    }
    child.stdin!.end('done\n');
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    for (const secret of [served.SecretAccessKey!, served.Token!, token]) expect(String(result.stderr)).not.toContain(secret);
  });

  it('a role session that cannot be renewed without a code keeps being served, and mfa-env says so once', async () => {
    // No cached MFA session of [default]: the role session (made with a code) is served as is.
    const bare = { XDG_CACHE_HOME: join(world.sandbox.home, 'other-cache') };
    const first = await world.sandbox.run(['exec', '--server', '--profile', 'admin', '--token-code', '246802', '--', 'true'], { env: bare });
    expect(first.exitCode, first.stderr).toBe(0);
    const script = `
      const { fromHttp } = require(${JSON.stringify(FROM_HTTP)});
      (async () => { const a = await fromHttp()(); await new Promise((r) => setTimeout(r, 1500)); const b = await fromHttp()();
        console.log(JSON.stringify({ same: a.accessKeyId === b.accessKeyId })); })();`;
    const result = await world.sandbox.run(['exec', '--server', '--profile', 'admin', '--', process.execPath, '-e', script], { env: { ...bare, MFA_ENV_REFRESH_BEFORE: '2h' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(lastJson<{ same: boolean }>(result.stdout).same).toBe(true);
    const lines = result.stderr.split('\n').filter((line) => line.includes('could not renew'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('needs a code');
  });

  it('a bad MFA_ENV_REFRESH_BEFORE is a usage error before any login', async () => {
    const result = await runServer('admin', ['true'], { MFA_ENV_REFRESH_BEFORE: 'soon' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('MFA_ENV_REFRESH_BEFORE');
    expect(result.stdout).toBe('');
  });
});
