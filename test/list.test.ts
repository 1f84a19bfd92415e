/** `mfa-env list [--json]` through the built CLI: every profile, its flow and cache, and no secret. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListEntry } from '../src/list/report.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const CACHED_SECRET = 'cached-secret-never-shown';
const CACHED_TOKEN = 'cached-token-never-shown';
let sandbox: Sandbox;

beforeAll(() => {
  sandbox = makeSandbox();
  sandbox.writeConfig(
    [
      '[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n',
      '[profile admin]\nRole_Arn = arn:aws:iam::111111111111:role/admin\nsource_profile = default\n',
      '[profile target]\nrole_arn = arn:aws:iam::222222222222:role/target\nsource_profile = jump\nregion = us-west-2\n',
      '[profile jump]\nrole_arn = arn:aws:iam::111111111111:role/jump\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n',
      '[profile ec2]\nrole_arn = arn:aws:iam::111111111111:role/ec2\ncredential_source = Ec2InstanceMetadata\n',
      '[profile broken]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = missing\n',
      '[profile "team admin"]\nrole_arn = arn:aws:iam::111111111111:role/team\nsource_profile = default\n',
    ].join(''),
  );
  sandbox.writeCredentials(`[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`);
  // A cached session for admin, written as the cache writes it (dir 0700, file 0600).
  mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
  chmodSync(sandbox.cacheDir, 0o700);
  const expiration = new Date(Date.now() + 42 * 60_000 + 30_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const session = { profile: 'admin', kind: 'role', accessKeyId: 'ASIACACHED', secretAccessKey: CACHED_SECRET, sessionToken: CACHED_TOKEN, expiration };
  writeFileSync(join(sandbox.cacheDir, 'session-admin.json'), JSON.stringify({ version: 1, fingerprint: 'x', session }), { mode: 0o600 });
});
afterAll(() => sandbox.cleanup());

describe('mfa-env list', () => {
  it('--json: one entry per profile, sorted, with flow, device, source, region, keys, cache', async () => {
    const result = await sandbox.run(['list', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const entries = JSON.parse(result.stdout) as ListEntry[];
    expect(entries.map((entry) => entry.profile)).toEqual(['admin', 'broken', 'default', 'ec2', 'jump', 'target', 'team admin']);
    const byName = Object.fromEntries(entries.map((entry) => [entry.profile, entry]));
    expect(byName.default).toEqual({
      profile: 'default', flow: 'session', mfaSerial: 'arn:aws:iam::111111111111:mfa/alice', mfaSerialProfile: 'default',
      source: 'static keys of default', roles: [], region: 'eu-west-1', keys: 'credentials-file', session: null, problem: null,
    });
    expect(byName.admin).toMatchObject({ flow: 'role', mfaSerialProfile: 'default', roles: [{ profile: 'admin', roleArn: 'arn:aws:iam::111111111111:role/admin' }], keys: 'credentials-file', region: null });
    expect(byName.admin!.session).toMatchObject({ kind: 'role', timeLeft: '42m' });
    expect(byName.admin!.session!.secondsLeft).toBeGreaterThan(41 * 60);
    expect(byName.target).toMatchObject({ flow: 'chain', mfaSerialProfile: 'jump', region: 'us-west-2', roles: [{ profile: 'jump' }, { profile: 'target' }] });
    expect(byName.ec2).toMatchObject({ flow: 'role', source: 'credential_source Ec2InstanceMetadata', keys: null, mfaSerial: null });
    expect(byName['team admin']).toMatchObject({ flow: 'none', problem: expect.stringMatching(/\[profile "team admin"\] .* cannot be read by the AWS SDK's loader/) });
    expect(byName.broken).toMatchObject({ flow: 'none', problem: expect.stringMatching(/source_profile "missing", which does not exist/) });
  });

  it('lines for people, and no secret in either form', async () => {
    const human = await sandbox.run(['list']);
    const json = await sandbox.run(['list', '--json']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^target\n  flow +role chain \(AssumeRole, several hops\)\n/m);
    expect(human.stdout).toMatch(/^  cached +42m left/m);
    for (const output of [human.stdout, json.stdout, human.stderr, json.stderr]) {
      for (const secret of [SECRET, CACHED_SECRET, CACHED_TOKEN, 'ASIACACHED', 'AKIAIOSFODNN7EXAMPLE']) expect(output).not.toContain(secret);
    }
  });

  it('has help with examples', async () => {
    const result = await sandbox.run(['list', '--help']);
    expect(result.stdout).toMatch(/mfa-env list --json/);
  });
});
