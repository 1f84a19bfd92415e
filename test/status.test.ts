import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../src/status/report.js';
import { useMotoWorld } from './helpers/moto.js';

function exportsOf(code: string): Record<string, string> {
  return Object.fromEntries([...code.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

const masked = (key: string) => `${key.slice(0, 4)}…${key.slice(-4)}`;

/** The --json output is the report type itself (its fields are documented there and in the README). */
type Status = StatusReport;

describe('status against moto_server', () => {
  const world = useMotoWorld();
  /** The session a shell holds after `login` (default profile, GetSessionToken). */
  let session: Record<string, string>;

  const status = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const result = await world.sandbox.run(['status', ...args], { env });
    return { ...result, json: args.includes('--json') && result.stdout ? (JSON.parse(result.stdout) as Status) : undefined };
  };

  it('before login: exit 1, inactive, every field null', async () => {
    const result = await status(['--json']);
    expect(result.exitCode).toBe(1);
    expect(result.json).toMatchObject({ active: false, profile: null, flow: null, accessKeyId: null, expiration: null, secondsLeft: null, expired: false, verified: null });
    expect(result.json!.problem).toContain('no mfa-env session');
    const human = await status([]);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('no MFA session in this shell');
  });

  it('after login (GetSessionToken): exit 0 and the fields of the session in the environment', async () => {
    const login = await world.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(login.exitCode, login.stderr).toBe(0);
    session = exportsOf(login.stdout);
    const result = await status(['--json'], { ...session, TZ: 'Asia/Kolkata' });
    expect(result.exitCode, result.stderr).toBe(0);
    const json = result.json!;
    expect(json).toMatchObject({
      active: true,
      profile: 'default',
      flow: 'session-token',
      roleArn: null,
      accessKeyId: masked(session.AWS_ACCESS_KEY_ID!),
      region: 'eu-west-1',
      expiration: session.AWS_CREDENTIAL_EXPIRATION,
      expiresEpoch: Number(session.MFA_ENV_EXPIRES),
      expired: false,
      cached: true,
      verified: null,
      problem: null,
    });
    // Local time with the zone's offset, the same instant.
    expect(json.expirationLocal).toMatch(/\+05:30$/);
    expect(Date.parse(json.expirationLocal!)).toBe(Date.parse(json.expiration!));
    expect(json.secondsLeft).toBeGreaterThan(12 * 3600 - 120);
    expect(json.secondsLeft).toBeLessThanOrEqual(12 * 3600);
    expect(json.timeLeft).toMatch(/^11h5\dm$/);
    expect(result.stdout).not.toContain(session.AWS_SECRET_ACCESS_KEY!);
    expect(result.stdout).not.toContain(session.AWS_SESSION_TOKEN!);

    const human = await status([], { ...session, TZ: 'Asia/Kolkata' });
    expect(human.exitCode).toBe(0);
    const kolkata = new Date(Date.parse(session.AWS_CREDENTIAL_EXPIRATION!) + 5.5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(human.stdout).toContain(`(local ${kolkata} GMT+5:30)`);
    expect(human.stdout).toMatch(/^profile +default$/m);
    expect(human.stdout).toContain('session token (GetSessionToken)');
    expect(human.stdout).toContain(`${session.AWS_CREDENTIAL_EXPIRATION!.replace('T', ' ').replace('Z', ' UTC')}`);
    expect(human.stdout).toMatch(/^time left +11h5\dm$/m);
    expect(human.stdout).toContain(masked(session.AWS_ACCESS_KEY_ID!));
  });

  it('after expiry: exit 1, expired, and the way out', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const env = { ...session, MFA_ENV_EXPIRES: String(past), AWS_CREDENTIAL_EXPIRATION: new Date(past * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const result = await status(['--json'], env);
    expect(result.exitCode).toBe(1);
    expect(result.json).toMatchObject({ active: false, expired: true, timeLeft: 'expired', expiresEpoch: past, profile: 'default' });
    expect(result.json!.secondsLeft).toBeLessThan(0);
    expect(result.json!.problem).toContain('expired');
    const human = await status([], env);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('mfa-env login --profile default');
    // --verify does not ask STS about an expired session.
    const verify = await status(['--verify', '--json'], env);
    expect(verify.exitCode).toBe(1);
    expect(verify.json!.verified).toBeNull();
  });

  it('keys that another tool set (no MFA_ENV_PROFILE): exit 1, says so, key masked', async () => {
    const result = await status(['--json'], {
      AWS_ACCESS_KEY_ID: session.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: session.AWS_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: session.AWS_SESSION_TOKEN,
    });
    expect(result.exitCode).toBe(1);
    expect(result.json!.active).toBe(false);
    expect(result.json!.problem).toContain('another tool');
    expect(result.json!.accessKeyId).toBe(masked(session.AWS_ACCESS_KEY_ID!));
  });

  it('a role session: flow role with the role ARN and the assumed-role ARN; --verify shows the ARN from STS', async () => {
    // A fresh cache of `default`, or the role would be chained from moto's unusable example keys.
    await world.sandbox.run(['clear', '--forget', '--profile', 'default']);
    const login = await world.sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', '234567']);
    expect(login.exitCode, login.stderr).toBe(0);
    const role = exportsOf(login.stdout);

    const plain = await status(['--json'], role);
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.json).toMatchObject({ active: true, profile: 'admin', flow: 'role', roleArn: world.roleArn, region: 'us-east-1', cached: true, verified: null });
    expect(plain.json!.identityArn).toMatch(/:assumed-role\/admin\//);
    expect(plain.json!.timeLeft).toMatch(/^(59m|58m|1h00m)$/);

    const verified = await status(['--verify', '--json'], role);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.json!.verified!.arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/admin\//);
    expect(verified.json!.identityArn).toBe(verified.json!.verified!.arn);

    const human = await status(['--verify'], role);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(`role ${world.roleArn} (AssumeRole)`);
    expect(human.stdout).toMatch(/^identity +arn:aws:sts::\d{12}:assumed-role\/admin\/\S+ \(verified with STS\)$/m);
  });

  it('--verify with credentials STS refuses: exit 1, the reason on stderr, no secret printed', async () => {
    const login = await world.sandbox.run(['login', '--profile', 'admin', '--shell', 'bash']);
    const role = exportsOf(login.stdout);
    const forged = { ...role, AWS_SECRET_ACCESS_KEY: 'wrongwrongwrongwrongwrongwrongwrongwrong' };
    const result = await status(['--verify', '--json'], forged);
    expect(result.exitCode).toBe(1);
    expect(result.json!.verified).toBeNull();
    expect(result.json!.problem).toContain('verification failed');
    expect(result.stderr).toContain('verification failed');
    expect(result.stdout + result.stderr).not.toContain(forged.AWS_SECRET_ACCESS_KEY);
    expect(result.stdout + result.stderr).not.toContain(role.AWS_SESSION_TOKEN!);
  });
});
