import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeStsSandbox } from './helpers/fake-sts.js';
import { CLI } from './helpers/sandbox.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const ROLE = 'arn:aws:iam::123456789012:role/admin';
let codeCounter = 530000;
const nextCode = () => String(codeCounter++);

/** The access key id that signed a request (from its SigV4 Authorization header). */
const signingKey = (headers: Record<string, unknown>) => /Credential=([A-Z0-9]+)\//.exec(String(headers.authorization))?.[1];

describe('login flows', () => {
  const suite = useFakeStsSandbox({
    credentials:
      '[default]\naws_access_key_id = AKIADEFAULTEXAMPLE01\naws_secret_access_key = secret1\n\n[dev]\naws_access_key_id = AKIADEVEXAMPLE000002\naws_secret_access_key = secret2\n',
    config:
      `[default]\nmfa_serial = ${SERIAL}\n\n[profile dev]\nmfa_serial = ${SERIAL}\nregion = eu-central-1\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = default\nduration_seconds = 7200\n\n[profile viasource]\nsource_profile = dev\nmfa_serial = ${SERIAL}\n`,
  });

  it('a shell holding an earlier session and AWS_PROFILE pointing elsewhere can log in again', async () => {
    const first = await suite.sandbox.run(['login', '--profile', 'dev', '--shell', 'bash', '--token-code', nextCode()]);
    expect(first.exitCode, first.stderr).toBe(0);
    // Now log in again from a shell that holds that session, with AWS_PROFILE set to another profile.
    const heldSession = Object.fromEntries(
      [...first.stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const again = await suite.sandbox.run(['login', '--profile', 'dev', '--shell', 'bash', '--force', '--token-code', nextCode()], {
      env: { ...heldSession, AWS_PROFILE: 'default' },
    });
    expect(again.exitCode, again.stderr).toBe(0);
    // Signed with dev's long-term key from the files: not the session in the environment, not AWS_PROFILE's.
    expect(signingKey(suite.sts.calls[1]!.headers)).toBe('AKIADEVEXAMPLE000002');
    expect(again.stdout).toContain('unset AWS_PROFILE');
  });

  it('without --profile, the current session\'s MFA_ENV_PROFILE is used', async () => {
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()], { env: { MFA_ENV_PROFILE: 'dev' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(signingKey(suite.sts.calls[0]!.headers)).toBe('AKIADEVEXAMPLE000002');
    expect(result.stdout).toContain("export MFA_ENV_PROFILE='dev'");
    expect(result.stdout).toContain("export AWS_REGION='eu-central-1'");
  });

  it('source_profile supplies the keys of a GetSessionToken profile', async () => {
    const result = await suite.sandbox.run(['login', '--profile', 'viasource', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls[0]!.action).toBe('GetSessionToken');
    expect(signingKey(suite.sts.calls[0]!.headers)).toBe('AKIADEVEXAMPLE000002');
  });

  it('GetSessionToken sends the serial, the code and the duration', async () => {
    const code = nextCode();
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', code, '--duration', '1h30m']);
    expect(result.exitCode, result.stderr).toBe(0);
    const params = suite.sts.calls[0]!.params;
    expect([params.get('Action'), params.get('SerialNumber'), params.get('TokenCode'), params.get('DurationSeconds')]).toEqual([
      'GetSessionToken', SERIAL, code, '5400',
    ]);
  });

  it('a role profile is assumed with the cached MFA session of its source: no code, capped at 1h, said so', async () => {
    const session = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(session.exitCode, session.stderr).toBe(0);
    const role = await suite.sandbox.run(['login', '--profile', 'admin', '--shell', 'bash']); // no code, no terminal
    expect(role.exitCode, role.stderr).toBe(0);
    const call = suite.sts.calls[1]!;
    expect(call.action).toBe('AssumeRole');
    expect(call.params.get('RoleArn')).toBe(ROLE);
    expect(call.params.get('TokenCode')).toBeNull();
    expect(call.params.get('SerialNumber')).toBeNull();
    expect(call.params.get('DurationSeconds')).toBe('3600');
    expect(signingKey(call.headers)).toMatch(/^ASIAFAKE/); // the cached session's key
    expect(role.stderr).toMatch(/role chaining allows at most 1h, so 1h instead of 2h/);
    expect(role.stderr).toMatch(/profile admin: role arn:aws:sts::123456789012:assumed-role\/admin\//);
  });

  it('a role profile without a cached source session uses its source\'s mfa_serial and a code', async () => {
    const code = nextCode();
    const role = await suite.sandbox.run(['login', '--profile', 'admin', '--shell', 'bash', '--token-code', code]);
    expect(role.exitCode, role.stderr).toBe(0);
    const params = suite.sts.calls[0]!.params;
    expect([params.get('Action'), params.get('SerialNumber'), params.get('TokenCode'), params.get('DurationSeconds')]).toEqual([
      'AssumeRole', SERIAL, code, '7200',
    ]);
    expect(signingKey(suite.sts.calls[0]!.headers)).toBe('AKIADEFAULTEXAMPLE01');
  });

  it('endpoints resolve the SDK\'s way: endpoint_url in the profile, and a [services] section', async () => {
    const env = { AWS_ENDPOINT_URL: undefined };
    suite.sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\nendpoint_url = ${suite.sts.endpoint}\n`);
    const viaProfile = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()], { env });
    expect(viaProfile.exitCode, viaProfile.stderr).toBe(0);
    suite.sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\nservices = local\n\n[services local]\nsts =\n  endpoint_url = ${suite.sts.endpoint}\n`);
    const viaServices = await suite.sandbox.run(['login', '--shell', 'bash', '--force', '--token-code', nextCode()], { env });
    expect(viaServices.exitCode, viaServices.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(2);
  });

  it('--token-code - reads the code from stdin', async () => {
    const code = nextCode();
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', '-'], { input: `${code}\n` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls[0]!.params.get('TokenCode')).toBe(code);
    expect(result.stderr).not.toMatch(/visible to other users/);
  });

  it('--token-code on the command line warns that it is visible in ps', async () => {
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.stderr).toMatch(/visible to other users in `ps`/);
  });

  it('mfa_process supplies the code, run without a shell', async () => {
    const code = nextCode();
    const script = join(suite.sandbox.home, 'otp.mjs');
    const marker = join(suite.sandbox.home, 'argv.json');
    writeFileSync(script, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, JSON.stringify(process.argv.slice(2)));\nconsole.log('${code}');\n`);
    suite.sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\nmfa_process = ${process.execPath} ${script} my\\ account $HOME;\n`);
    const result = await suite.sandbox.run(['login', '--shell', 'bash']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls[0]!.params.get('TokenCode')).toBe(code);
    // No shell: `$HOME;` arrives literally, an escaped space keeps a word together.
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual(['my account', '$HOME;']);
  });

  it('the prompt on /dev/tty works inside eval "$(mfa-env login)" (typed through a real pty)', async () => {
    const code = nextCode();
    const inner = `eval "$(${process.execPath} ${CLI} login --shell bash)"; printf 'TOKEN=%s\\n' "$AWS_SESSION_TOKEN"`;
    // util-linux `script` gives the shell a pseudo-terminal and forwards our stdin as typing.
    const result = await execa('script', ['-qfec', `bash --noprofile --norc -c '${inner.replaceAll("'", "'\\''")}'`, '/dev/null'], {
      env: suite.sandbox.env,
      extendEnv: false,
      input: `${code}\n`,
      reject: false,
      timeout: 30_000,
    });
    const screen = String(result.stdout);
    expect(screen).toContain(`MFA code for ${SERIAL} (profile default): `);
    expect(suite.sts.calls[0]!.params.get('TokenCode')).toBe(code);
    expect(screen).toMatch(/TOKEN=FwoGZXIvYXdzEFAKE\d+TOKEN/);
  });

  it('without a terminal and without a code source, the failure says how to provide the code', async () => {
    const result = await suite.sandbox.run(['login', '--shell', 'bash']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no terminal to ask for the MFA code on/);
    expect(result.stderr).toMatch(/--token-code/);
    expect(suite.sts.calls).toHaveLength(0);
  });
});
