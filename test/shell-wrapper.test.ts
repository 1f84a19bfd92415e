/**
 * The `mfa-env` shell function in bash, zsh and fish, against a loopback STS: login and clear
 * change the shell's own variables; a failed login (STS error, unknown profile, usage error)
 * leaves the earlier session exactly as it was and returns the binary's exit code; `--help` is
 * printed, not evaluated; aliases and look-alike functions of the user cannot get in the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, SERIAL } from './helpers/hardening.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { initScript, runShellFile, scratchDir, SHELLS, type TestShell } from './helpers/shell-integration.js';

const VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'MFA_ENV_PROFILE', 'MFA_ENV_EXPIRES', 'AWS_REGION', 'AWS_PROFILE'];
/** The loopback STS refuses codes that start with 9. */
const isRefused = (code: string | null) => code?.startsWith('9') ?? false;

let fake: FakeSts;
let sandbox: Sandbox;
const scratch = scratchDir();
const inits: Partial<Record<TestShell, string>> = {};
let nextCode = 100000;
/** A code never sent before in this file (mfa-env refuses to send a code twice). */
const freshCode = () => String(nextCode++);
let nextRefusedCode = 900000;
/** A code the loopback STS refuses, never sent before either (a refused code is spent too). */
const refusedCode = () => String(nextRefusedCode++);

beforeAll(async () => {
  fake = await startFakeSts((call) =>
    isRefused(call.params.get('TokenCode'))
      ? { kind: 'error', status: 403, code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.' }
      : { kind: 'credentials' },
  );
  sandbox = makeSandbox({ AWS_ENDPOINT_URL: fake.endpoint });
  sandbox.writeCredentials(`[dev]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`);
  sandbox.writeConfig(`[profile dev]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n`);
  for (const shell of SHELLS) inits[shell] = scratch.write(`init.${shell}`, await initScript(shell));
});
afterAll(async () => {
  await fake?.close();
  sandbox?.cleanup();
  scratch.cleanup();
});

/** Shell code that prints `NAME=value` (or `NAME=<unset>`) for every session variable, then `@@`. */
function dumpVariables(shell: TestShell): string {
  const names = VARIABLES.join(' ');
  if (shell === 'fish') {
    return `for n in ${names}\n    if set -q $n\n        printf '%s=%s\\n' $n "$$n"\n    else\n        printf '%s=<unset>\\n' $n\n    end\nend\necho @@`;
  }
  const value = shell === 'bash' ? '${!n-<unset>}' : '${(P)n-<unset>}';
  return `for n in ${names}; do printf '%s=%s\\n' "$n" "${value}"; done; echo @@`;
}

/** `command` then `echo status=N` in the shell's syntax. */
function withStatus(shell: TestShell, command: string): string {
  return shell === 'fish' ? `${command}\necho status=$status` : `${command}\necho "status=$?"`;
}

/** Runs the steps in a fresh shell that loaded the integration; returns the output split at `@@`. */
async function session(shell: TestShell, steps: string[], options: { before?: string } = {}) {
  const lines = [options.before ?? '', `source '${inits[shell]}'`];
  for (const step of steps) lines.push(step === 'dump' ? dumpVariables(shell) : step);
  const file = scratch.write(`session-${Math.random().toString(36).slice(2)}.${shell}`, `${lines.join('\n')}\n`);
  // Not strict: a failing login must not end the user's shell, and we want to see what follows.
  const result = await runShellFile(shell, file, { ...sandbox.env, AWS_PROFILE: 'stale' }, { strict: false });
  const blocks = result.stdout.split('@@\n').map((block) => Object.fromEntries(block.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])));
  return { ...result, blocks };
}

describe.each(SHELLS)('%s', (shell) => {
  it('login sets the session in the shell itself; clear removes it; both exit 0', async () => {
    const { blocks, stderr } = await session(shell, [withStatus(shell, `mfa-env login --profile dev --token-code ${freshCode()}`), 'dump', withStatus(shell, 'mfa-env clear'), 'dump']);
    const [afterLogin, afterClear] = blocks;
    expect(afterLogin!.status).toBe('0');
    expect(afterLogin!.AWS_ACCESS_KEY_ID).toMatch(/^ASIAFAKE/);
    expect(afterLogin!.AWS_SESSION_TOKEN).toMatch(/^FwoGZXIvYXdzEFAKE/);
    expect(afterLogin!.MFA_ENV_PROFILE).toBe('dev');
    expect(afterLogin!.MFA_ENV_EXPIRES).toMatch(/^\d{10}$/);
    expect(afterLogin!.AWS_REGION).toBe('eu-west-1');
    expect(afterLogin!.AWS_PROFILE).toBe('<unset>');
    expect(afterClear!.status).toBe('0');
    for (const name of VARIABLES) expect(afterClear![name], name).toBe('<unset>');
    expect(stderr).toContain('profile dev: MFA session until');
  });

  it('a login refused by STS leaves the earlier session untouched and returns 1', async () => {
    const { blocks, stderr } = await session(shell, [
      `mfa-env login --profile dev --token-code ${freshCode()}`,
      'dump',
      withStatus(shell, `mfa-env login --profile dev --force --token-code ${refusedCode()}`),
      'dump',
    ]);
    const [before, after] = blocks;
    expect(before!.AWS_ACCESS_KEY_ID).toMatch(/^ASIAFAKE/);
    expect(after!.status).toBe('1');
    delete after!.status;
    expect(after).toEqual(before);
    expect(stderr).toContain('AWS rejected the MFA code');
  });

  it('an unknown profile (exit 1) and a usage error (exit 2) leave the earlier session untouched', async () => {
    const { blocks } = await session(shell, [
      `mfa-env login --profile dev --token-code ${freshCode()}`,
      'dump',
      withStatus(shell, 'mfa-env login --profile nosuchprofile --force'),
      'dump',
      withStatus(shell, 'mfa-env login --profile dev --duration 99x'),
      'dump',
    ]);
    const [before, unknown, usage] = blocks;
    expect(unknown!.status).toBe('1');
    expect(usage!.status).toBe('2');
    delete unknown!.status;
    delete usage!.status;
    expect(unknown).toEqual(before);
    expect(usage).toEqual(before);
  });

  it('the function tells mfa-env which shell integration runs it (doctor sees it as loaded)', async () => {
    const { stdout } = await session(shell, ['mfa-env doctor --profile dev']);
    expect(stdout).toContain(`pass  shell-integration: loaded (${shell})`);
  });

  it('login --help and clear -h print the help, evaluate nothing, and exit 0', async () => {
    const { stdout, stderr, blocks } = await session(shell, [withStatus(shell, 'mfa-env login --help'), withStatus(shell, 'mfa-env clear -h'), 'dump']);
    expect(stdout).toMatch(/get MFA session credentials and print shell code that sets them/i);
    expect(stdout).toMatch(/print shell code that unsets every variable login sets/i);
    expect(stdout.match(/status=0/g)).toHaveLength(2);
    expect(stderr).toBe('');
    expect(blocks[0]!.AWS_PROFILE).toBe('stale');
  });
});

describe('aliases and look-alike functions cannot break the wrapper', () => {
  it('bash: aliases for eval, command, builtin and mfa-env itself', async () => {
    const before = `shopt -s expand_aliases\nalias eval='echo EVIL' command='echo EVIL' builtin='echo EVIL' mfa-env='echo EVIL' date='echo EVIL'`;
    const { blocks, stdout } = await session('bash', [withStatus('bash', `mfa-env login --profile dev --token-code ${freshCode()}`), 'dump'], { before });
    expect(stdout).not.toContain('EVIL');
    expect(blocks[0]!.status).toBe('0');
    expect(blocks[0]!.AWS_ACCESS_KEY_ID).toMatch(/^ASIAFAKE/);
  });

  it('zsh: aliases for eval, command, builtin and mfa-env itself', async () => {
    const before = `alias eval='echo EVIL' command='echo EVIL' builtin='echo EVIL' mfa-env='echo EVIL' date='echo EVIL'`;
    const { blocks, stdout } = await session('zsh', [withStatus('zsh', `mfa-env login --profile dev --token-code ${freshCode()}`), 'dump'], { before });
    expect(stdout).not.toContain('EVIL');
    expect(blocks[0]!.status).toBe('0');
    expect(blocks[0]!.AWS_ACCESS_KEY_ID).toMatch(/^ASIAFAKE/);
  });

  it('fish: functions named source, contains and printf', async () => {
    const before = ['source', 'contains', 'printf', 'math'].map((name) => `function ${name}; echo EVIL; end`).join('\n');
    const file = scratch.write('fish-hijack.fish', `${before}\nbuiltin source '${inits.fish}'\n${withStatus('fish', `mfa-env login --profile dev --token-code ${freshCode()}`)}\nbuiltin printf '%s\\n' "key=$AWS_ACCESS_KEY_ID"\n`);
    const result = await runShellFile('fish', file, sandbox.env, { strict: false });
    expect(result.stdout).not.toContain('EVIL');
    expect(result.stdout).toContain('status=0');
    expect(result.stdout).toMatch(/key=ASIAFAKE/);
  });
});
