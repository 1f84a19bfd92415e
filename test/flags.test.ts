/**
 * --region, --role-arn, --session-name and --external-id for login, exec and credential-process,
 * against moto (signatures checked), each STS call's parameters read from the recording proxy;
 * bad values are refused before any call.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportsOf, nextCode, startStsWorld, type StsWorld } from './profiles-corpus/world.js';

let world: StsWorld;

beforeAll(async () => {
  world = await startStsWorld(['admin', 'adhoc']);
  const codeScript = join(world.sandbox.home, 'code.mjs');
  writeFileSync(codeScript, 'console.log(String(Date.now()).slice(-6));\n');
  world.sandbox.writeConfig(
    `[default]\nmfa_serial = ${world.user.serial}\nregion = eu-west-1\n` +
      `[profile admin]\nrole_arn = ${world.roles.admin}\nsource_profile = default\nregion = us-west-2\nexternal_id = from-profile\n` +
      // A code no earlier run sent: the last six digits of the clock in milliseconds.
      `[profile cp]\nrole_arn = ${world.roles.admin}\nsource_profile = default\nmfa_process = ${process.execPath} ${codeScript}\n`,
  );
}, 120_000);
afterAll(async () => world?.stop());
beforeEach(() => world.reset());

const login = (args: string[]) => world.sandbox.run(['login', '--shell', 'bash', '--force', ...args]);

async function identityOf(exported: Record<string, string>): Promise<string | undefined> {
  const sts = new STSClient({
    endpoint: world.moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: exported.AWS_ACCESS_KEY_ID!, secretAccessKey: exported.AWS_SECRET_ACCESS_KEY!, sessionToken: exported.AWS_SESSION_TOKEN },
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

describe('--region', () => {
  it('a session profile: STS is called in that region and it is exported', async () => {
    const result = await login(['--region', 'eu-north-1', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(world.sessionCalls().map((call) => [call.action, call.region])).toEqual([['GetSessionToken', 'eu-north-1']]);
    const exported = exportsOf(result.stdout);
    expect([exported.AWS_REGION, exported.AWS_DEFAULT_REGION]).toEqual(['eu-north-1', 'eu-north-1']);
  });

  it('a role profile: over the profile\'s region, and a session of another region is not served from the cache', async () => {
    const west = await world.sandbox.run(['login', '--shell', 'bash', '--profile', 'admin', '--token-code', nextCode()]);
    expect(west.exitCode, west.stderr).toBe(0);
    const result = await world.sandbox.run(['login', '--shell', 'bash', '--profile', 'admin', '--region', 'ap-southeast-2', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('from the cache');
    expect(world.sessionCalls().map((call) => call.region)).toEqual(['us-west-2', 'ap-southeast-2']);
    expect(exportsOf(result.stdout).AWS_REGION).toBe('ap-southeast-2');
  });
});

describe('--role-arn, --session-name, --external-id', () => {
  it('--role-arn assumes that role with the profile as its source: its keys, its device, the code', async () => {
    const code = nextCode();
    const result = await login(['--role-arn', world.roles.adhoc!, '--session-name', 'ad-hoc.session', '--external-id', 'ext:42/x', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = world.sessionCalls();
    expect(calls.map((call) => [call.action, call.signedWith, call.params.get('RoleArn'), call.params.get('SerialNumber'), call.params.get('TokenCode'), call.params.get('RoleSessionName'), call.params.get('ExternalId')])).toEqual([
      ['AssumeRole', world.user.accessKeyId, world.roles.adhoc, world.user.serial, code, 'ad-hoc.session', 'ext:42/x'],
    ]);
    const exported = exportsOf(result.stdout);
    expect(exported.MFA_ENV_PROFILE).toBe('default');
    expect(exported.AWS_REGION).toBe('eu-west-1');
    expect(await identityOf(exported)).toBe('arn:aws:sts::123456789012:assumed-role/adhoc/ad-hoc.session');
  });

  it('--session-name and --external-id override the profile\'s on a role profile', async () => {
    const result = await login(['--profile', 'admin', '--session-name', 'named-by-flag', '--external-id', 'flag-ext', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(world.sessionCalls().map((call) => [call.params.get('RoleSessionName'), call.params.get('ExternalId')])).toEqual([['named-by-flag', 'flag-ext']]);
    expect(await identityOf(exportsOf(result.stdout))).toBe('arn:aws:sts::123456789012:assumed-role/admin/named-by-flag');
  });

  it('exec and credential-process take the same flags', async () => {
    const exec = await world.sandbox.run(['exec', '--role-arn', world.roles.adhoc!, '--region', 'eu-central-1', '--force', '--token-code', nextCode(), '--', 'node', '-e', 'console.log(process.env.AWS_REGION)']);
    expect(exec.exitCode, exec.stderr).toBe(0);
    expect(exec.stdout.trim()).toBe('eu-central-1');
    // credential-process has no terminal: the code comes from mfa_process. Without the cached
    // GetSessionToken session of [default] (moto's example keys cannot sign a chained call).
    await world.sandbox.run(['clear', '--forget', '--profile', 'default']);
    const json = await world.sandbox.run(['credential-process', '--profile', 'cp', '--session-name', 'from-ide', '--external-id', 'ide-ext', '--region', 'sa-east-1']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1 });
    expect(world.sessionCalls().map((call) => [call.params.get('RoleArn'), call.region, call.params.get('RoleSessionName'), call.params.get('ExternalId'), call.params.get('SerialNumber')])).toEqual([
      [world.roles.adhoc, 'eu-central-1', expect.stringMatching(/^mfa-env-/), null, world.user.serial],
      [world.roles.admin, 'sa-east-1', 'from-ide', 'ide-ext', world.user.serial],
    ]);
  });
});

describe('bad flag values never reach STS', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['region', ['--region', 'moon-1'], /invalid --region "moon-1"/],
    ['role ARN', ['--role-arn', 'arn:aws:iam::12345:role/x'], /invalid --role-arn "arn:aws:iam::12345:role\/x"/],
    ['session name too short', ['--profile', 'admin', '--session-name', 'x'], /invalid --session-name "x"/],
    ['session name with a space', ['--profile', 'admin', '--session-name', 'a b'], /invalid --session-name/],
    ['external id with a space', ['--profile', 'admin', '--external-id', 'a b'], /invalid --external-id/],
    ['session name for a GetSessionToken profile', ['--session-name', 'fine-name'], /--session-name is for roles, and profile "default" makes a GetSessionToken session/],
  ];
  for (const command of ['login', 'exec', 'credential-process']) {
    for (const [name, args, message] of cases) {
      it(`${command}: ${name}`, async () => {
        const profile = command === 'credential-process' && !args.includes('--profile') ? ['--profile', 'default'] : [];
        const tail = command === 'exec' ? ['--', 'true'] : [];
        const result = await world.sandbox.run([command, ...profile, ...args, ...(command === 'credential-process' ? [] : ['--token-code', nextCode()]), ...tail]);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
        expect(result.exitCode).toBe(2);
        expect(world.proxy.calls).toHaveLength(0);
      });
    }
  }
});
