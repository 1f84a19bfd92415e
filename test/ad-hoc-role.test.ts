/**
 * `login --role-arn ARN` (an ad hoc role) against moto with signature checking: its session has
 * a cache entry and a lock of its own, next to the profile's MFA session (which it chains from,
 * with no new code, and which a plain login still finds), writes no follow file, and carries
 * MFA_ENV_ROLE_ARN, which every other login and `clear` unset, in every shell mfa-env prints for.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entryFileName, isAdHocEntryOf, profileLockPath } from '../src/store/layout.js';
import { acquireLock } from '../src/store/lock.js';
import { CLI } from './helpers/sandbox.js';
import { ALL_SHELLS, SHELL_TABLE, type ShellName } from './helpers/shells.js';
import { exportsOf, makeCachedSessionUsable, nextCode, startStsWorld, type StsWorld } from './profiles-corpus/world.js';

let world: StsWorld;
let firstKey: string;
let standIn: string;

beforeAll(async () => {
  world = await startStsWorld(['adhoc', 'other', 'stand-in']);
  world.sandbox.writeConfig(
    `[default]\nmfa_serial = ${world.user.serial}\nregion = eu-west-1\n` + `[profile admin]\nrole_arn = ${world.roles.other}\nsource_profile = default\n`,
  );
  // The profile's own MFA session (code 1), made one moto accepts as a signer.
  const login = await world.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
  expect(login.exitCode, login.stderr).toBe(0);
  firstKey = exportsOf(login.stdout).AWS_ACCESS_KEY_ID!;
  standIn = await makeCachedSessionUsable(world, 'default', world.roles['stand-in']!);
}, 120_000);
afterAll(async () => world?.stop());
beforeEach(() => world.reset());

const cacheFile = (name: string) => join(world.sandbox.cacheDir, name);
const entryOf = (name: string) => JSON.parse(readFileSync(cacheFile(name), 'utf8')) as { session: Record<string, string> };
const adHocEntries = () => readdirSync(world.sandbox.cacheDir).filter((name) => isAdHocEntryOf('default', name));
/** The fields of the profile's follow file (NUL-terminated, src/store/follow-file.ts). */
const followFields = () => readFileSync(cacheFile('follow-default.v1'), 'utf8').split('\0');

describe('the entry names of ad hoc roles', () => {
  it('are the profile\'s file-safe name, +role- and a hash of the settings, never a profile\'s', () => {
    const adHoc = { roleArn: 'arn:aws:iam::123456789012:role/x', sessionName: 'mfa-env-me' };
    const name = entryFileName({ profile: 'dev', adHoc });
    expect(name).toMatch(/^session-dev\+role-[0-9a-f]{16}\.json$/);
    expect(isAdHocEntryOf('dev', name)).toBe(true);
    expect(isAdHocEntryOf('de', name)).toBe(false);
    expect(entryFileName({ profile: 'dev', adHoc: { ...adHoc, externalId: 'e' } })).not.toBe(name);
    expect(entryFileName({ profile: 'dev', adHoc: { ...adHoc, sessionName: 'other' } })).not.toBe(name);
    expect(entryFileName({ profile: 'dev' })).toBe(entryFileName('dev'));
    // A profile named like the ad hoc entry is hashed: `+` is not file-safe.
    expect(entryFileName(name.slice('session-'.length, -'.json'.length))).toMatch(/^session-h-[0-9a-f]{32}\.json$/);
    expect(profileLockPath({ profile: 'dev', adHoc }, '/c')).toMatch(/^\/c\/login-dev\+role-[0-9a-f]{16}\.lock$/);
  });
});

describe('login --role-arn next to the profile\'s MFA session', () => {
  it('chains from the cached MFA session with no code, and leaves the profile\'s entry and follow file alone', async () => {
    const ownEntry = readFileSync(cacheFile('session-default.json'), 'utf8');
    const result = await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('with the cached MFA session of profile "default" (no new code');
    expect(world.sessionCalls().map((call) => [call.action, call.signedWith, call.params.get('TokenCode')])).toEqual([['AssumeRole', standIn, null]]);
    const exported = exportsOf(result.stdout);
    expect([exported.MFA_ENV_PROFILE, exported.MFA_ENV_ROLE_ARN]).toEqual(['default', world.roles.adhoc]);
    expect(readFileSync(cacheFile('session-default.json'), 'utf8')).toBe(ownEntry);
    const [adHoc] = adHocEntries();
    expect(adHocEntries()).toHaveLength(1);
    expect(entryOf(adHoc!).session).toMatchObject({ kind: 'role', accessKeyId: exported.AWS_ACCESS_KEY_ID, adHocRoleArn: world.roles.adhoc });
    // The follow file still holds the profile's own session, as the first login wrote it.
    const fields = followFields();
    expect([fields[1], fields[3], fields[8]]).toEqual(['session', firstKey, 'default']);
    // …and its one stamp, of that session's expiry (the shells' one-stat check).
    expect(readdirSync(world.sandbox.cacheDir).filter((name) => name.startsWith('follow-')).sort()).toEqual(['follow-default.v1', `follow-default.v1@${fields[0]}`]);
  });

  it('a plain login afterwards is served from the cache: no code, no STS call, the same MFA session', async () => {
    const result = await world.sandbox.run(['login', '--shell', 'bash']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('profile default: MFA session until');
    expect(result.stderr).toContain('from the cache');
    expect(world.sessionCalls()).toEqual([]);
    expect(exportsOf(result.stdout).AWS_ACCESS_KEY_ID).toBe(standIn);
    expect(exportsOf(result.stdout).MFA_ENV_ROLE_ARN).toBeUndefined();
    expect(result.stdout).toContain('unset MFA_ENV_ROLE_ARN');
  });

  it('the ad hoc role is served from its own entry; other settings make another entry', async () => {
    const again = await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('from the cache');
    expect(world.sessionCalls()).toEqual([]);
    const named = await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!, '--session-name', 'second-name']);
    expect(named.exitCode, named.stderr).toBe(0);
    expect(world.sessionCalls().map((call) => [call.signedWith, call.params.get('RoleSessionName')])).toEqual([[standIn, 'second-name']]);
    expect(adHocEntries()).toHaveLength(2);
    expect(exportsOf(again.stdout).AWS_ACCESS_KEY_ID).not.toBe(exportsOf(named.stdout).AWS_ACCESS_KEY_ID);
  });

  it('with --token-code the role is assumed directly, and the MFA session entry is still the profile\'s', async () => {
    const code = nextCode();
    const result = await world.sandbox.run(['login', '--shell', 'bash', '--force', '--role-arn', world.roles.other!, '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(world.sessionCalls().map((call) => [call.signedWith, call.params.get('TokenCode')])).toEqual([[world.user.accessKeyId, code]]);
    expect(entryOf('session-default.json').session).toMatchObject({ kind: 'session', accessKeyId: standIn });
    expect(entryOf('session-default.json').session.adHocRoleArn).toBeUndefined();
  });
});

describe('the lock of an ad hoc role', () => {
  const hold = (path: string) => acquireLock(path, { waitMs: 1000, pollMs: 50, timeout: () => new Error('the test could not take the lock') });
  const adHoc = (name: string) => ['login', '--shell', 'bash', '--force', '--role-arn', world.roles.adhoc!, '--session-name', name];

  it('is its own: a login of the profile holding the profile\'s lock does not hold it up', async () => {
    const release = await hold(profileLockPath('default', world.sandbox.cacheDir));
    try {
      const result = await world.sandbox.run(adHoc('past-the-lock'), { env: { MFA_ENV_LOCK_WAIT: '2' } });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).not.toContain('waiting for another mfa-env login');
    } finally {
      await release();
    }
  });

  it('and is taken: a parallel login of the same ad hoc role waits for it', async () => {
    const key = { profile: 'default', adHoc: { roleArn: world.roles.adhoc!, sessionName: 'held-name' } };
    const release = await hold(profileLockPath(key, world.sandbox.cacheDir));
    try {
      const result = await world.sandbox.run(adHoc('held-name'), { env: { MFA_ENV_LOCK_WAIT: '1' } });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('gave up waiting for another mfa-env login of profile "default"');
      expect(world.sessionCalls()).toEqual([]);
    } finally {
      await release();
    }
  });
});

describe('the commands that read a session, with an ad hoc one', () => {
  async function adHocEnv(): Promise<Record<string, string>> {
    const result = await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!]);
    expect(result.exitCode, result.stderr).toBe(0);
    return exportsOf(result.stdout);
  }

  it('status: the ad hoc role, from its cache entry', async () => {
    const status = await world.sandbox.run(['status', '--json'], { env: await adHocEnv() });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ active: true, profile: 'default', flow: 'role', roleArn: world.roles.adhoc, cached: true, identityArn: expect.stringContaining(':assumed-role/adhoc/') });
  });

  it('exec: MFA_ENV_ROLE_ARN for an ad hoc role\'s command only, never one inherited', async () => {
    const print = ['--', 'node', '-e', 'process.stdout.write(process.env.MFA_ENV_ROLE_ARN ?? "<unset>")'];
    const adHoc = await world.sandbox.run(['exec', '--role-arn', world.roles.adhoc!, ...print]);
    expect([adHoc.exitCode, adHoc.stdout], adHoc.stderr).toEqual([0, world.roles.adhoc]);
    const plain = await world.sandbox.run(['exec', ...print], { env: { MFA_ENV_ROLE_ARN: world.roles.adhoc! } });
    expect([plain.exitCode, plain.stdout], plain.stderr).toEqual([0, '<unset>']);
    expect(world.sessionCalls()).toEqual([]);
  });

  it('__renew from an ad hoc shell renews nothing and writes no entry (a role profile would be chained)', async () => {
    const login = await world.sandbox.run(['login', '--shell', 'bash', '--profile', 'admin', '--role-arn', world.roles.adhoc!]);
    expect(login.exitCode, login.stderr).toBe(0);
    const env = exportsOf(login.stdout);
    world.reset();
    const files = () => readdirSync(world.sandbox.cacheDir).filter((name) => name.includes('admin')).sort();
    const before = files();
    expect(before).toEqual([expect.stringMatching(/^session-admin\+role-[0-9a-f]{16}\.json$/)]);
    const renew = await world.sandbox.run(['__renew', '--profile', 'admin', '--after', env.MFA_ENV_EXPIRES!], { env });
    expect(renew.exitCode, renew.stderr).toBe(0);
    expect(world.proxy.calls).toEqual([]);
    expect(files()).toEqual(before);
  });
});

/** Runs `code` in `shell` (no rc files), then prints MFA_ENV_ROLE_ARN, or <unset>. */
async function roleArnAfter(shell: ShellName, code: string, env: Record<string, string> = {}): Promise<string> {
  const show = shell === 'fish'
    ? `if set -q MFA_ENV_ROLE_ARN; printf '%s' "$MFA_ENV_ROLE_ARN"; else; printf '<unset>'; end`
    : `if [ -n "\${MFA_ENV_ROLE_ARN+set}" ]; then printf '%s' "$MFA_ENV_ROLE_ARN"; else printf '<unset>'; fi`;
  const { command, plain } = SHELL_TABLE[shell];
  const result = await execa(command, [...plain, '-c', `${code}\n${show}`], { env: { PATH: process.env.PATH!, ...env }, extendEnv: false, reject: false });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('MFA_ENV_ROLE_ARN in each shell', () => {
  for (const shell of ALL_SHELLS) {
    it(`${shell}: exported by an ad hoc login, unset by a plain login and by clear`, async () => {
      const stale = { MFA_ENV_ROLE_ARN: 'arn:aws:iam::123456789012:role/stale' };
      const adHoc = await world.sandbox.run(['login', '--shell', shell, '--role-arn', world.roles.adhoc!]);
      expect(adHoc.exitCode, adHoc.stderr).toBe(0);
      expect(await roleArnAfter(shell, adHoc.stdout, stale)).toBe(world.roles.adhoc);
      const plain = await world.sandbox.run(['login', '--shell', shell]);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(await roleArnAfter(shell, plain.stdout, stale)).toBe('<unset>');
      const clear = await world.sandbox.run(['clear', '--shell', shell]);
      expect(await roleArnAfter(shell, clear.stdout, stale)).toBe('<unset>');
      // No new MFA session: the ad hoc role chains from the cached one (AssumeRole only, when
      // this test runs before the others have cached the role), the plain login is the cache's.
      expect(world.sessionCalls().filter((call) => call.action !== 'AssumeRole')).toEqual([]);
    });
  }
});

/** Per shell: load the integration, run its prompt hook, print the key and MFA_ENV_ROLE_ARN. */
const HOOKED: Record<'bash' | 'zsh' | 'fish', { load: string; prompt: string; show: string }> = {
  bash: { load: `eval "$(${process.execPath} ${CLI} init bash)"`, prompt: '__mfa_env_hook', show: `printf '%s %s' "$AWS_ACCESS_KEY_ID" "\${MFA_ENV_ROLE_ARN-<unset>}"` },
  zsh: { load: `eval "$(${process.execPath} ${CLI} init zsh)"`, prompt: '__mfa_env_precmd', show: `printf '%s %s' "$AWS_ACCESS_KEY_ID" "\${MFA_ENV_ROLE_ARN-<unset>}"` },
  fish: { load: `${process.execPath} ${CLI} init fish | source`, prompt: 'emit fish_prompt', show: `printf '%s %s' "$AWS_ACCESS_KEY_ID" (set -q MFA_ENV_ROLE_ARN; and echo $MFA_ENV_ROLE_ARN; or echo '<unset>')` },
};

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  describe(`${shell}: a shell with an ad hoc role session does not follow its profile`, () => {
    async function shellWith(env: Record<string, string>, code: string): Promise<string> {
      const { load, show } = HOOKED[shell];
      const result = await execa(shell, [...SHELL_TABLE[shell].plain, '-c', `${load}\n${code}\n${show}`], { env: { ...world.sandbox.env, ...env }, extendEnv: false, reject: false });
      expect(result.stderr).toBe('');
      return result.stdout;
    }

    it('the prompt hook leaves it alone (and would take over the profile\'s newer session without MFA_ENV_ROLE_ARN)', async () => {
      const env = exportsOf((await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!])).stdout);
      // The follow file's MFA session (12 h) outlives the 1 h role session: a plain shell would follow it.
      expect(Number(followFields()[0])).toBeGreaterThan(Number(env.MFA_ENV_EXPIRES));
      expect(await shellWith(env, HOOKED[shell].prompt)).toBe(`${env.AWS_ACCESS_KEY_ID} ${world.roles.adhoc}`);
      const { MFA_ENV_ROLE_ARN: _, ...plain } = env;
      expect(await shellWith(plain, HOOKED[shell].prompt)).toBe(`${firstKey} <unset>`);
    });

    it('a plain `mfa-env login` taken up from the follow file unsets MFA_ENV_ROLE_ARN', async () => {
      const env = exportsOf((await world.sandbox.run(['login', '--shell', 'bash', '--role-arn', world.roles.adhoc!])).stdout);
      expect(await shellWith(env, 'mfa-env login 2>/dev/null')).toBe(`${firstKey} <unset>`);
      expect(world.sessionCalls()).toEqual([]);
    });
  });
}

describe('clear --forget', () => {
  it('drops the profile\'s ad hoc role sessions with its own', async () => {
    expect(adHocEntries().length).toBeGreaterThan(0);
    const result = await world.sandbox.run(['clear', '--shell', 'bash', '--forget', '--profile', 'default']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('forgot the cached sessions of profile default');
    expect(adHocEntries()).toEqual([]);
    expect(existsSync(cacheFile('session-default.json'))).toBe(false);
  });
});
