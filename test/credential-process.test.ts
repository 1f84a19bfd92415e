import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { SEED_ROLE_REQUESTS, SEED_USER_REQUESTS, seedRole, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';

/** The command line a profile uses to call the built mfa-env (absolute paths: the SDKs run it through a shell). */
const MFA_ENV = `${process.execPath} ${CLI}`;

function exportsOf(code: string): Record<string, string> {
  return Object.fromEntries([...code.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('credential-process against moto_server', () => {
  let moto: Moto;
  let user: SeededUser;
  let roleArn: string;
  let sandbox: Sandbox;

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_USER_REQUESTS + SEED_ROLE_REQUESTS });
    user = await seedUser(moto);
    roleArn = await seedRole(moto);
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    const wrapper = join(sandbox.home, 'hidden-loop.sh');
    // A loop the config cannot show: a script that asks mfa-env for the profile it is the source of.
    writeFileSync(wrapper, `#!/bin/sh\nexec ${MFA_ENV} credential-process --profile hidden\n`, { mode: 0o755 });
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
    sandbox.writeConfig(
      [
        `[default]\nregion = us-east-1\nmfa_serial = ${user.serial}`,
        `[profile admin]\nregion = us-east-1\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}`,
        `[profile via-process]\nregion = us-east-1\ncredential_process = ${MFA_ENV} credential-process --profile admin`,
        `[profile loop]\nmfa_serial = ${user.serial}\ncredential_process = ${MFA_ENV} credential-process --profile loop`,
        `[profile hidden]\nmfa_serial = ${user.serial}\ncredential_process = sh ${wrapper}`,
      ].join('\n\n') + '\n',
    );
  });
  afterAll(async () => {
    await moto?.stop();
    sandbox?.cleanup();
  });

  it('without a cached session and without a terminal: exit 1, empty stdout, and it says to run mfa-env login first', async () => {
    const result = await sandbox.run(['credential-process', '--profile', 'admin']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('mfa-env login --profile admin');
    expect(result.stderr).toContain('no terminal');
  });

  it('after a login: stdout is exactly the Version 1 JSON of the cached session', async () => {
    const login = await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', '123456']);
    expect(login.exitCode, login.stderr).toBe(0);
    const session = exportsOf(login.stdout);
    const result = await sandbox.run(['credential-process', '--profile', 'admin']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      JSON.stringify({
        Version: 1,
        AccessKeyId: session.AWS_ACCESS_KEY_ID,
        SecretAccessKey: session.AWS_SECRET_ACCESS_KEY,
        SessionToken: session.AWS_SESSION_TOKEN,
        Expiration: session.AWS_CREDENTIAL_EXPIRATION,
      }),
    );
    expect(JSON.parse(result.stdout).Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('drives the aws CLI: a profile with credential_process gets the assumed role (moto checks the signature)', async () => {
    const result = await execa('aws', ['sts', 'get-caller-identity', '--profile', 'via-process', '--output', 'text', '--query', 'Arn'], {
      env: sandbox.env,
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout).trim()).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/admin\//);
  });

  it('drives the JS SDK: fromProcess and fromIni read the profile, and STS accepts the credentials', async () => {
    const script = `
      import { fromProcess } from '@aws-sdk/credential-provider-process';
      import { fromIni } from '@aws-sdk/credential-provider-ini';
      import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
      const viaProcess = await fromProcess({ profile: 'via-process' })();
      const sts = new STSClient({ region: 'us-east-1', credentials: fromIni({ profile: 'via-process' }) });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      process.stdout.write(JSON.stringify({ accessKeyId: viaProcess.accessKeyId, expiration: viaProcess.expiration.toISOString(), arn: identity.Arn }));
    `;
    const result = await execa(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...sandbox.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const seen = JSON.parse(String(result.stdout)) as { accessKeyId: string; expiration: string; arn: string };
    const session = exportsOf((await sandbox.run(['login', '--profile', 'admin', '--shell', 'bash'])).stdout);
    expect(seen.accessKeyId).toBe(session.AWS_ACCESS_KEY_ID);
    expect(Date.parse(seen.expiration)).toBe(Date.parse(session.AWS_CREDENTIAL_EXPIRATION!));
    expect(seen.arn).toMatch(/:assumed-role\/admin\//);
  });

  it('a profile whose credential_process asks mfa-env for itself is refused with an explanation, at once', async () => {
    const started = Date.now();
    const result = await sandbox.run(['credential-process', '--profile', 'loop'], { timeout: 20_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('recurse forever');
    expect(result.stderr).toContain('[profile loop-mfa]');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a loop hidden in a script stops after one round (credential-process and login)', async () => {
    for (const args of [['credential-process', '--profile', 'hidden'], ['login', '--profile', 'hidden', '--shell', 'bash']]) {
      const result = await sandbox.run(args, { timeout: 30_000 });
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('(hidden → hidden): a credential_process loop');
    }
  });

  it('--profile is required (usage error, exit 2)', async () => {
    const result = await sandbox.run(['credential-process']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
  });
});
