import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, botocoreCredentials, exportsOf } from './helpers/aws-files.js';
import { SEED_USER_REQUESTS, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

let codeCounter = 820000;
const nextCode = () => String(codeCounter++);
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * The three credentials-file layouts people already have, end to end against a moto that
 * checks signatures: the STS call must be signed with the long-term keys, so a login that took
 * the written short-term profile as its source would be refused (moto's GetSessionToken answers
 * fixed example keys that it does not accept itself; the first test shows that). None of the
 * user's files is edited by hand between the runs.
 */
describe('credentials-file layouts', () => {
  let moto: Moto;
  let user: SeededUser;
  const sandboxes: Sandbox[] = [];

  beforeAll(async () => {
    moto = await startMoto({ authAfter: SEED_USER_REQUESTS });
    user = await seedUser(moto);
  });
  afterAll(async () => {
    await moto?.stop();
    for (const sandbox of sandboxes) sandbox.cleanup();
  });

  function sandboxWith(credentials: string, config: string): Sandbox {
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandboxes.push(sandbox);
    sandbox.writeCredentials(credentials);
    sandbox.writeConfig(config);
    return sandbox;
  }

  const keys = () => `aws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}`;

  async function login(sandbox: Sandbox, args: string[]) {
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), ...args]);
    expect(result.exitCode, result.stderr).toBe(0);
    return { result, vars: await exportsOf(result.stdout) };
  }

  it('[georgemfa] with mfa_serial and long-term keys, session written to [george]', async () => {
    const credentials = `[georgemfa]\n${keys()}\nmfa_serial = ${user.serial}\n`;
    const config = '[profile georgemfa]\nregion = eu-west-1\n';
    const sandbox = sandboxWith(credentials, config);

    const { result, vars } = await login(sandbox, ['--profile', 'georgemfa', '--write-profile', 'george']);
    expect(vars.MFA_ENV_PROFILE).toBe('georgemfa');
    expect(result.stderr).toContain('wrote the session to [george]');
    const written = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(written.startsWith(credentials)).toBe(true);
    expect(await botocoreCredentials(sandbox, 'george')).toMatchObject({ accessKey: vars.AWS_ACCESS_KEY_ID, token: vars.AWS_SESSION_TOKEN });

    // The written keys are moto's fixed example keys, which moto refuses to sign with…
    const signedWithSession = await execa('aws', ['sts', 'get-session-token', '--profile', 'george'], {
      env: awsEnv(sandbox, { AWS_ENDPOINT_URL: moto.endpoint }),
      extendEnv: false,
      reject: false,
    });
    expect(signedWithSession.exitCode).not.toBe(0);
    // …so a second login that succeeds was signed with [georgemfa]'s long-term keys.
    const again = await login(sandbox, ['--profile', 'georgemfa', '--write-profile', 'george', '--force', '--duration', '1h']);
    const rewritten = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(rewritten.startsWith(credentials)).toBe(true);
    expect(rewritten).toContain(`expiration = ${again.vars.AWS_CREDENTIAL_EXPIRATION}`);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(config);

    // Logging in *with* the session profile is refused without a network call, with the way out.
    const wrong = await sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode(), '--profile', 'george']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/log in with the profile that holds the long-term keys/);
  });

  it('aws-mfa\'s [default-long-term]: `mfa-env login` uses it and refreshes [default] in place', async () => {
    // What aws-mfa leaves behind: long-term keys + aws_mfa_device, and a short-term [default]
    // with both token names, a naive-UTC expiration and its own bookkeeping keys.
    const longTerm = `[default-long-term]\n${keys()}\naws_mfa_device = ${user.serial}\n\n`;
    const oldDefault = [
      '[default]',
      'assumed_role = False',
      'aws_access_key_id = ASIAOLDSESSION000001',
      'aws_secret_access_key = oldsecret',
      'aws_session_token = oldtoken',
      'aws_security_token = oldtoken',
      'expiration = 2020-01-01 00:00:00',
      '',
    ].join('\n');
    const config = '[default]\nregion = us-east-1\noutput = json\n';
    const sandbox = sandboxWith(longTerm + oldDefault, config);

    const { result, vars } = await login(sandbox, []); // no --profile, no --write-profile
    expect(vars.MFA_ENV_PROFILE).toBe('default');
    expect(result.stderr).toContain('wrote the session to [default]');
    expect(vars.AWS_CREDENTIAL_EXPIRATION).toMatch(ISO_Z);
    const expected = (v: Record<string, string>) =>
      longTerm +
      [
        '[default]',
        'assumed_role = False',
        `aws_access_key_id = ${v.AWS_ACCESS_KEY_ID}`,
        `aws_secret_access_key = ${v.AWS_SECRET_ACCESS_KEY}`,
        `aws_session_token = ${v.AWS_SESSION_TOKEN}`,
        // botocore reads aws_security_token first: a stale one would shadow the new session.
        `aws_security_token = ${v.AWS_SESSION_TOKEN}`,
        `expiration = ${v.AWS_CREDENTIAL_EXPIRATION}`,
        '',
      ].join('\n');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(expected(vars));
    expect(await botocoreCredentials(sandbox, 'default')).toMatchObject({ accessKey: vars.AWS_ACCESS_KEY_ID, token: vars.AWS_SESSION_TOKEN });

    // Re-run: [default] now holds a fresh session, and [default-long-term] is still the source.
    const again = await login(sandbox, ['--force', '--duration', '2h']);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(expected(again.vars));
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(config);
  });

  it('[NAME-long-term] with mfa_serial and no [NAME] yet: the first login creates [NAME]', async () => {
    const credentials = `# work account\n[work-long-term]\n${keys()}\nmfa_serial = ${user.serial}\n`;
    const sandbox = sandboxWith(credentials, '');
    const { vars } = await login(sandbox, ['--profile', 'work']);
    expect(vars.MFA_ENV_PROFILE).toBe('work');
    const text = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(text).toBe(
      `${credentials}\n[work]\naws_access_key_id = ${vars.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${vars.AWS_SECRET_ACCESS_KEY}\naws_session_token = ${vars.AWS_SESSION_TOKEN}\nexpiration = ${vars.AWS_CREDENTIAL_EXPIRATION}\n`,
    );
    await login(sandbox, ['--profile', 'work', '--force']);
    // An explicit --write-profile still wins over the layout's default target.
    const other = await login(sandbox, ['--profile', 'work', '--write-profile', 'work-copy']);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toContain(`[work-copy]\naws_access_key_id = ${other.vars.AWS_ACCESS_KEY_ID}`);
  });

  it('[default] with long-term keys and mfa_serial, session written to [mfa]', async () => {
    const credentials = `[default]\n${keys()}\n`;
    const config = `[default]\nregion = us-east-1\nmfa_serial = ${user.serial}\n\n[profile mfa]\nregion = eu-west-1\n`;
    const sandbox = sandboxWith(credentials, config);

    const { vars } = await login(sandbox, ['--write-profile', 'mfa']);
    expect(vars.MFA_ENV_PROFILE).toBe('default');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(
      `${credentials}\n[mfa]\naws_access_key_id = ${vars.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${vars.AWS_SECRET_ACCESS_KEY}\naws_session_token = ${vars.AWS_SESSION_TOKEN}\nexpiration = ${vars.AWS_CREDENTIAL_EXPIRATION}\n`,
    );
    expect(await botocoreCredentials(sandbox, 'mfa')).toMatchObject({ method: 'shared-credentials-file', token: vars.AWS_SESSION_TOKEN });
    expect(await botocoreCredentials(sandbox, 'default')).toMatchObject({ accessKey: user.accessKeyId, token: null });

    const again = await login(sandbox, ['--write-profile', 'mfa', '--force', '--duration', '3h']);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toContain(`expiration = ${again.vars.AWS_CREDENTIAL_EXPIRATION}\n`);
    expect(readFileSync(sandbox.credentialsFile, 'utf8').startsWith(credentials)).toBe(true);
    expect(readFileSync(sandbox.configFile, 'utf8')).toBe(config);
  });
});
