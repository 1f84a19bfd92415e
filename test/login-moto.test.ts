import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { useMotoWorld } from './helpers/moto.js';

/** Evaluates `code` in a clean bash and prints the named variables as JSON. */
async function evalInBash(code: string, names: string[], env: Record<string, string> = {}) {
  const script = `${code}\nfor n in ${names.join(' ')}; do printf '%s=%s\\0' "$n" "\${!n-<unset>}"; done`;
  const result = await execa('bash', ['--noprofile', '--norc', '-c', script], { env: { PATH: process.env.PATH!, ...env }, extendEnv: false });
  return Object.fromEntries(String(result.stdout).split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe('login against moto_server (signature-checking)', () => {
  const world = useMotoWorld();

  it('GetSessionToken: prints exports that a clean bash evaluates to the session', async () => {
    const result = await world.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.stderr).not.toContain(world.user.secretAccessKey);
    expect(result.exitCode, result.stderr).toBe(0);
    const vars = await evalInBash(result.stdout, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'MFA_ENV_PROFILE', 'MFA_ENV_EXPIRES', 'AWS_REGION', 'AWS_PROFILE']);
    // moto answers GetSessionToken with fixed example keys; the point is that they arrive intact.
    expect(vars.AWS_ACCESS_KEY_ID).toMatch(/^A[SK]IA/);
    expect(vars.AWS_SESSION_TOKEN!.length).toBeGreaterThan(20);
    expect(vars.MFA_ENV_PROFILE).toBe('default');
    expect(vars.AWS_REGION).toBe('eu-west-1');
    expect(vars.AWS_PROFILE).toBe('<unset>');
    expect(vars.AWS_CREDENTIAL_EXPIRATION).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(vars.MFA_ENV_EXPIRES) * 1000).toBe(Date.parse(vars.AWS_CREDENTIAL_EXPIRATION!));
    // default 12 h
    expect(Date.parse(vars.AWS_CREDENTIAL_EXPIRATION!) - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    expect(result.stderr).toMatch(/profile default: MFA session until .* \(11h5\dm left\)/);
    // Only mfa-env's own words: the SDK's Node-version warning (it prints one on Node 20) is off.
    for (const line of result.stderr.trimEnd().split('\n')) expect(line).toMatch(/^mfa-env: /);
  });

  it('AssumeRole: the exported role credentials are accepted by moto (S3 ListBuckets via the aws CLI)', async () => {
    // A fresh cache: with a cached MFA session of `default` the role would be chained from it,
    // and moto's GetSessionToken answer (fixed example keys) cannot sign anything.
    await world.sandbox.run(['clear', '--forget', '--profile', 'default']);
    const result = await world.sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', '234567']);
    expect(result.stderr).not.toContain('cached MFA session');
    expect(result.exitCode, result.stderr).toBe(0);
    const check = await execa('bash', ['--noprofile', '--norc', '-c', `${result.stdout}\naws s3api list-buckets --output json && aws sts get-caller-identity --output text --query Arn`], {
      env: { PATH: process.env.PATH!, HOME: world.sandbox.home, AWS_ENDPOINT_URL: world.moto.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      extendEnv: false,
      reject: false,
    });
    expect(check.exitCode, String(check.stderr)).toBe(0);
    expect(String(check.stdout)).toContain('assumed-role/admin');
    // …and moto really checks: a wrong secret is refused.
    const forged = await execa('bash', ['--noprofile', '--norc', '-c', `${result.stdout}\nexport AWS_SECRET_ACCESS_KEY=wrong\naws s3api list-buckets`], {
      env: { PATH: process.env.PATH!, HOME: world.sandbox.home, AWS_ENDPOINT_URL: world.moto.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      extendEnv: false,
      reject: false,
    });
    expect(forged.exitCode).not.toBe(0);
  });
});
