/**
 * Role durations against moto (signatures checked), every STS call's parameters read from the
 * recording proxy: AWS caps a role assumed with session credentials at 1 h, so a longer role
 * session, or an explicit --token-code, is AssumeRole signed with the long-term keys plus the
 * code; a cached session serves --duration D only while it has D left.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportsOf, makeCachedSessionUsable, nextCode, startStsWorld, type StsWorld } from './profiles-corpus/world.js';

let world: StsWorld;
let standIn: string;

const hoursLeft = (stdout: string) => (Date.parse(exportsOf(stdout).AWS_CREDENTIAL_EXPIRATION!) - Date.now()) / 3_600_000;

beforeAll(async () => {
  world = await startStsWorld(['admin', 'target', 'stand-in']);
  const { roles, user } = world;
  world.sandbox.writeConfig(
    `[default]\nmfa_serial = ${user.serial}\n` +
      `[profile admin]\nrole_arn = ${roles.admin}\nsource_profile = default\n` +
      `[profile admin2h]\nrole_arn = ${roles.admin}\nsource_profile = default\nduration_seconds = 7200\n` +
      `[profile chain]\nrole_arn = ${roles.target}\nsource_profile = admin\n`,
  );
  // A cached MFA session of [default] that moto accepts as a signer.
  const login = await world.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
  expect(login.exitCode, login.stderr).toBe(0);
  standIn = await makeCachedSessionUsable(world, 'default', roles['stand-in']!);
}, 120_000);
afterAll(async () => world?.stop());
beforeEach(() => world.reset());

const run = (args: string[]) => world.sandbox.run(['login', '--shell', 'bash', ...args]);

describe('role durations', () => {
  it('no code, default duration: the role is chained from the cached MFA session, 1 h, said so', async () => {
    const result = await run(['--profile', 'admin', '--force']);
    expect(result.exitCode, result.stderr).toBe(0);
    const [call] = world.sessionCalls();
    expect(world.sessionCalls()).toHaveLength(1);
    expect([call!.signedWith, call!.params.get('SerialNumber'), call!.params.get('TokenCode'), call!.params.get('DurationSeconds')]).toEqual([standIn, null, null, '3600']);
    expect(result.stderr).toContain('with the cached MFA session of profile "default" (no new code; role chaining allows at most 1h)');
  });

  it('--duration 2h: AssumeRole signed with the long-term keys, with the serial and the code, for 2 h', async () => {
    const code = nextCode();
    const result = await run(['--profile', 'admin', '--duration', '2h', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = world.sessionCalls();
    expect(calls.map((call) => [call.signedWith, call.params.get('SerialNumber'), call.params.get('TokenCode'), call.params.get('DurationSeconds')])).toEqual([
      [world.user.accessKeyId, world.user.serial, code, '7200'],
    ]);
    expect(hoursLeft(result.stdout)).toBeGreaterThan(1.95);
    expect(result.stderr).not.toContain('cached MFA session');
  });

  it('a cached role session serves --duration D only while it has D left', async () => {
    // The 2 h session of the test before is cached: 1 h is served from it, 3 h is not.
    const oneHour = await run(['--profile', 'admin', '--duration', '1h']);
    expect(oneHour.exitCode, oneHour.stderr).toBe(0);
    expect(oneHour.stderr).toContain('from the cache');
    expect(world.sessionCalls()).toHaveLength(0);
    const code = nextCode();
    const threeHours = await run(['--profile', 'admin', '--duration', '3h', '--token-code', code]);
    expect(threeHours.exitCode, threeHours.stderr).toBe(0);
    expect(threeHours.stderr).toMatch(/not reusing the cached session of profile "admin": it has 1h5\dm left, less than --duration 3h/);
    expect(world.sessionCalls().map((call) => call.params.get('DurationSeconds'))).toEqual(['10800']);
  });

  it('--token-code without --duration: the code is used (direct AssumeRole), not the cached MFA session', async () => {
    const code = nextCode();
    const result = await run(['--profile', 'admin', '--force', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    const [call] = world.sessionCalls();
    expect([call!.signedWith, call!.params.get('SerialNumber'), call!.params.get('TokenCode'), call!.params.get('DurationSeconds')]).toEqual([world.user.accessKeyId, world.user.serial, code, '3600']);
  });

  it('duration_seconds over 1 h: direct with a code; without any way to get one, the cached session serves, 1 h, said so', async () => {
    const code = nextCode();
    const direct = await run(['--profile', 'admin2h', '--token-code', code]);
    expect(direct.exitCode, direct.stderr).toBe(0);
    expect(world.sessionCalls().map((call) => [call.signedWith, call.params.get('TokenCode'), call.params.get('DurationSeconds')])).toEqual([[world.user.accessKeyId, code, '7200']]);
    world.reset();
    const chained = await run(['--profile', 'admin2h', '--force']); // no code, no terminal
    expect(chained.exitCode, chained.stderr).toBe(0);
    expect(chained.stderr).toContain('there is no terminal to ask on; using the cached MFA session instead');
    expect(chained.stderr).toContain('role chaining allows at most 1h, so 1h instead of 2h');
    expect(world.sessionCalls().map((call) => [call.signedWith, call.params.get('TokenCode'), call.params.get('DurationSeconds')])).toEqual([[standIn, null, '3600']]);
  });

  it('a chain of two roles with --duration 2h: the first hop takes the code, the second is capped at 1 h, said so', async () => {
    const code = nextCode();
    const result = await run(['--profile', 'chain', '--duration', '2h', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = world.sessionCalls();
    expect(calls.map((call) => [call.params.get('RoleArn'), call.params.get('TokenCode'), call.params.get('DurationSeconds')])).toEqual([
      [world.roles.admin, code, null],
      [world.roles.target, null, '3600'],
    ]);
    expect(calls[0]!.signedWith).toBe(world.user.accessKeyId);
    expect(calls[1]!.signedWith).toBe(calls[0]!.returned);
    expect(result.stderr).toContain('profile "chain" is a chain of 2 roles: role chaining allows at most 1h, so 1h instead of 2h');
  });

  it('a chain resumes from the cached session of its middle hop: one call, no code', async () => {
    const admin = await run(['--profile', 'admin', '--force', '--token-code', nextCode()]);
    expect(admin.exitCode, admin.stderr).toBe(0);
    const adminKey = exportsOf(admin.stdout).AWS_ACCESS_KEY_ID;
    world.reset();
    const result = await run(['--profile', 'chain', '--force']);
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = world.sessionCalls();
    expect(calls.map((call) => [call.signedWith, call.params.get('RoleArn'), call.params.get('TokenCode')])).toEqual([[adminKey, world.roles.target, null]]);
    expect(result.stderr).toContain('with the cached MFA session of profile "admin"');
  });
});
