/**
 * Issue 6, item 6: secret hygiene. STS answers that echo the MFA code, the secret key or a
 * session token back in their error text must not carry them to stdout, stderr, any child
 * process's argv (strace records every execve, mfa_process included) or mfa-env's own
 * /proc/PID/cmdline; access key ids are shown masked. A code in argv gets a note about `ps`;
 * `--token-code -` and the prompt keep it out of argv.
 */
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StsAnswer, StsCall } from '../helpers/fake-sts.js';
import { CLI } from '../helpers/sandbox.js';
import { cmdline, processTree, tracedCli, type Exec } from '../helpers/processes.js';
import { startInPty } from '../helpers/pty.js';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, SERIAL, trackStsSandboxes, waitFor } from '../helpers/hardening.js';

const CODE = '482915';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/admin';
/** The source MFA session a role is chained from: its secret and token sign the AssumeRole call. */
const SOURCE_SECRET = 'SourceSessionSecret/0123456789+abcdefghijk';
const SOURCE_TOKEN = 'IQoJb3JpZ2luX2VjEHardeningSourceToken//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==';
const PS_NOTE = 'visible to other users in `ps`';

const VALIDATION_ECHO = `1 validation error detected: Value '${CODE}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]{6}`;
const EVERYTHING_ECHO = `request TokenCode=${CODE} (tokenCode: "${CODE}") signed by ${ACCESS_KEY_ID} with ${SECRET_ACCESS_KEY}`;

const sandboxes = trackStsSandboxes();

const ROLE_CONFIG = `\n[profile admin]\nrole_arn = ${ROLE_ARN}\nsource_profile = default\nmfa_serial = ${SERIAL}\n`;

/**
 * An STS answer held back until `release()`: while the call is in flight the test can look at
 * mfa-env's processes; then it answers with a validation error that echoes the code.
 */
function heldEchoingAnswer() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let inFlight = false;
  return {
    answer: async (): Promise<StsAnswer> => {
      inFlight = true;
      await released;
      return { kind: 'error', status: 400, code: 'ValidationError', message: VALIDATION_ECHO };
    },
    inFlight: () => inFlight,
    release: () => release(),
  };
}

async function setUp(answer: (call: StsCall) => StsAnswer | Promise<StsAnswer>, extraConfig = ROLE_CONFIG) {
  return sandboxes.start(answer, { extraConfig });
}

/** Every secret a failing login knows of: none may appear anywhere. */
const SECRETS = [CODE, SECRET_ACCESS_KEY, ACCESS_KEY_ID, SOURCE_SECRET, SOURCE_TOKEN];

function expectClean(where: string, text: string, secrets = SECRETS) {
  for (const secret of secrets) expect(text.includes(secret), `${where} holds ${secret}:\n${text}`).toBe(false);
}

function expectCleanArgv(execs: Exec[]) {
  expect(execs.length, 'strace recorded no execve at all').toBeGreaterThan(0);
  for (const exec of execs) expectClean(`argv of ${exec.file}`, exec.argv);
}

/** Files under `dir` (recursively) whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

describe('STS errors that echo secrets back', () => {
  const cases: Array<[string, string[], StsAnswer]> = [
    ['GetSessionToken ValidationError echoing the code', ['login'], { kind: 'error', status: 400, code: 'ValidationError', message: VALIDATION_ECHO }],
    ['an unknown GetSessionToken error echoing code, key id and secret key', ['login'], { kind: 'error', status: 400, code: 'SomethingNew', message: EVERYTHING_ECHO }],
    ['AssumeRole AccessDenied echoing code, key id and secret key', ['login', '--profile', 'admin'], { kind: 'error', status: 403, code: 'AccessDenied', message: `not authorized: ${EVERYTHING_ECHO}` }],
  ];
  for (const [name, args, answer] of cases) {
    it(`${name}: nothing on stdout, no secret on stderr or in any argv, the key id masked`, async () => {
      const { fake, sandbox } = await setUp(() => answer);
      const run = tracedCli(sandbox, [...args, '--shell', 'bash', '--token-code', '-'], { input: `${CODE}\n` });
      const result = await run.child;
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(fake.calls).toHaveLength(1);
      expect(fake.calls[0]!.params.get('TokenCode')).toBe(CODE);
      const stderr = String(result.stderr);
      expectClean('stderr', stderr);
      expect(stderr).not.toContain('unexpected error');
      if (answer.kind === 'error' && answer.message.includes(ACCESS_KEY_ID)) expect(stderr).toContain('AKIA…T001');
      expectCleanArgv(run.execs());
    });
  }

  it('a role chained from a cached MFA session: an error echoing that session\'s secret and token shows neither', async () => {
    const { fake, sandbox } = await setUp((call) =>
      call.action === 'GetSessionToken'
        ? { kind: 'credentials', secretAccessKey: SOURCE_SECRET, sessionToken: SOURCE_TOKEN }
        : { kind: 'error', status: 403, code: 'AccessDenied', message: `denied for token ${SOURCE_TOKEN} and secret ${SOURCE_SECRET}` },
    );
    const source = await sandbox.run(['login', '--shell', 'bash', '--token-code', '-'], { input: `${CODE}\n` });
    expect(source.exitCode, source.stderr).toBe(0);

    const run = tracedCli(sandbox, ['login', '--profile', 'admin', '--shell', 'bash']);
    const result = await run.child;
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(fake.calls.map((call) => call.action)).toEqual(['GetSessionToken', 'AssumeRole']);
    expect(String(result.stderr)).toContain('cached MFA session');
    expectClean('stderr', String(result.stderr));
    expectCleanArgv(run.execs());
  });
});

describe('where the code comes from', () => {
  it('mfa_process: its argv (recorded by itself and by strace) holds no secret; the echoed code is masked', async () => {
    const { fake, sandbox } = await setUp(() => ({ kind: 'error', status: 400, code: 'ValidationError', message: VALIDATION_ECHO }), '');
    const argvRecord = join(sandbox.home, 'mfa-process-argv');
    const script = join(sandbox.home, 'otp.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${argvRecord}'\necho ${CODE}\n`);
    chmodSync(script, 0o755);
    sandbox.writeConfig(`[default]\nmfa_serial = ${SERIAL}\nmfa_process = ${script} --account alice\n`);

    const run = tracedCli(sandbox, ['login', '--shell', 'bash']);
    const result = await run.child;
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(fake.calls[0]!.params.get('TokenCode')).toBe(CODE);
    expectClean('stderr', String(result.stderr));
    expect(readFileSync(argvRecord, 'utf8')).toBe(`${script}\n--account\nalice\n`);
    const execs = run.execs();
    expect(execs.some((exec) => exec.file === script), 'strace did not see mfa_process run').toBe(true);
    expectCleanArgv(execs);
  });

  it('--token-code - reads the code from stdin: no `ps` note, and mfa-env\'s cmdline holds no code while it talks to STS', async () => {
    const held = heldEchoingAnswer();
    const { fake, sandbox } = await setUp(held.answer);
    const run = tracedCli(sandbox, ['login', '--shell', 'bash', '--token-code', '-'], { input: `${CODE}\n` });
    await waitFor(held.inFlight, 20_000, 'the STS call');
    const tree = processTree(run.child.pid!);
    const lines = tree.map((pid) => cmdline(pid).join(' '));
    expect(lines.some((line) => line.includes(CLI)), `mfa-env not found among ${lines.join(' | ')}`).toBe(true);
    for (const line of lines) expectClean(`cmdline ${line}`, line);
    held.release();

    const result = await run.child;
    expect(result.exitCode).toBe(1);
    expect(fake.calls[0]!.params.get('TokenCode')).toBe(CODE);
    expect(String(result.stderr)).not.toContain(PS_NOTE);
    expectClean('stderr', String(result.stderr));
    expectCleanArgv(run.execs());
  });

  it('--token-code CODE works but says the code is visible in `ps` and how to avoid it', async () => {
    const { fake, sandbox } = await setUp(() => ({ kind: 'credentials' }));
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', CODE]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`mfa-env: note: a code given as --token-code is ${PS_NOTE} while mfa-env runs; \`--token-code -\` reads it from stdin instead.`);
    expect(fake.calls[0]!.params.get('TokenCode')).toBe(CODE);
  });

  it('the prompt on the terminal: the code is in no argv, and the error (on stderr) does not echo it', async () => {
    const held = heldEchoingAnswer();
    const { fake, sandbox } = await setUp(held.answer);
    const out = join(sandbox.home, 'stdout');
    const err = join(sandbox.home, 'stderr');
    const pty = startInPty(`${process.execPath} ${CLI} login --shell bash > ${out} 2> ${err}`, sandbox.env);
    await pty.waitFor(`MFA code for ${SERIAL} (profile default): `);
    pty.type(`${CODE}\n`);
    await waitFor(held.inFlight, 20_000, 'the STS call');
    const lines = processTree(pty.child.pid!).map((pid) => cmdline(pid).join(' '));
    expect(lines.some((line) => line.includes(CLI)), `mfa-env not found among ${lines.join(' | ')}`).toBe(true);
    for (const line of lines) expectClean(`cmdline ${line}`, line);
    held.release();

    const { exitCode } = await pty.finish();
    expect(exitCode).toBe(1);
    expect(fake.calls[0]!.params.get('TokenCode')).toBe(CODE);
    expect(readFileSync(out, 'utf8')).toBe('');
    expectClean('stderr', readFileSync(err, 'utf8'));
    // The terminal echoes what the user types, once; nothing else puts the code on the screen.
    expect(pty.screen().split(CODE).length - 1).toBe(1);
  });
});

describe('a successful login', () => {
  it('prints the new secret and token only on stdout; stores the code only as a hash', async () => {
    const { sandbox } = await setUp(() => ({ kind: 'credentials', secretAccessKey: SOURCE_SECRET, sessionToken: SOURCE_TOKEN }));
    const result = await sandbox.run(['login', '--shell', 'bash', '--token-code', '-'], { input: `${CODE}\n` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(SOURCE_SECRET);
    expect(result.stdout).toContain(SOURCE_TOKEN);
    expectClean('stderr', result.stderr);
    expect(filesContaining(sandbox.cacheDir, CODE)).toEqual([]);
    // The new session is only in its 0600 cache entry and the shells' 0600 follow file (sessions
    // that follow you); the long-term secret only where the user put it.
    const sessionFiles = [join(sandbox.cacheDir, 'follow-default.v1'), join(sandbox.cacheDir, 'session-default.json')];
    expect(filesContaining(sandbox.home, SOURCE_SECRET).sort()).toEqual(sessionFiles);
    for (const file of sessionFiles) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(filesContaining(sandbox.home, SECRET_ACCESS_KEY)).toEqual([sandbox.credentialsFile]);
  });
});
