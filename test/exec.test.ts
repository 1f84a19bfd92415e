import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { startMotoWorld, type Moto, type SeededUser } from './helpers/moto.js';

/** The variables a `login --shell bash` prints, as a map (values are single-quoted). */
function exportsOf(code: string): Record<string, string> {
  return Object.fromEntries([...code.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** At most 10 s, so a signal that never arrives fails the test instead of leaving a process behind. */
const WAIT_LOOP = 'i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; echo no-signal; exit 99';

/** Starts `mfa-env exec -- sh -c SCRIPT` without a terminal and resolves once the child printed `ready`. */
async function startExec(sandbox: Sandbox, script: string) {
  const child = execa(process.execPath, [CLI, 'exec', '--', 'sh', '-c', script], {
    env: sandbox.env,
    extendEnv: false,
    detached: true,
    reject: false,
    timeout: 30_000,
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`exec ended before the child was ready: ${seen}`)));
  });
  // Wrapped: execa's result is a thenable, and returning it bare would wait for the end.
  return { child };
}

describe('exec against moto_server', () => {
  let moto: Moto;
  let user: SeededUser;
  let roleArn: string;
  let sandbox: Sandbox;
  /** The session as `login` prints it from the cache. */
  let session: Record<string, string>;

  beforeAll(async () => {
    ({ moto, user, roleArn, sandbox } = await startMotoWorld());
    const first = await sandbox.run(['exec', '--token-code', '123456', '--', 'true']);
    expect(first.exitCode, first.stderr).toBe(0);
    const cached = await sandbox.run(['login', '--shell', 'bash']);
    expect(cached.exitCode, cached.stderr).toBe(0);
    session = exportsOf(cached.stdout);
    expect(session.AWS_SESSION_TOKEN!.length).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await moto?.stop();
    sandbox?.cleanup();
  });

  it('the command sees the session: sh -c \'printf %s "$AWS_SESSION_TOKEN"\' prints the session token', async () => {
    const result = await sandbox.run(['exec', '--', 'sh', '-c', 'printf %s "$AWS_SESSION_TOKEN"']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(session.AWS_SESSION_TOKEN);
  });

  it('sets every session variable and removes AWS_PROFILE and the others login unsets, also when the parent has them', async () => {
    const parentEnv = {
      AWS_PROFILE: 'default',
      AWS_DEFAULT_PROFILE: 'default',
      AWS_SECURITY_TOKEN: 'stale-token',
      AWS_SESSION_EXPIRATION: '2000-01-01T00:00:00Z',
      AWS_ACCESS_KEY_ID: 'AKIAOLDSESSIONKEY001',
      KEEP_ME: 'kept',
    };
    // --force: the STS path, where mfa-env switches the SDK's Node warning off for itself.
    const result = await sandbox.run(['exec', '--force', '--token-code', '345678', '--', process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'], { env: parentEnv });
    expect(result.exitCode, result.stderr).toBe(0);
    const child = JSON.parse(result.stdout) as Record<string, string>;
    const fresh = exportsOf((await sandbox.run(['login', '--shell', 'bash'])).stdout);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'MFA_ENV_PROFILE', 'MFA_ENV_EXPIRES', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
      expect(child[name], name).toBe(fresh[name]);
    }
    expect(child.AWS_ACCESS_KEY_ID).not.toBe(parentEnv.AWS_ACCESS_KEY_ID);
    expect(child.MFA_ENV_PROFILE).toBe('default');
    expect(child.AWS_REGION).toBe('eu-west-1');
    for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_SESSION_EXPIRATION', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'MFA_ENV_LOGIN_CHAIN']) {
      expect(child, name).not.toHaveProperty(name);
    }
    expect(child.KEEP_ME).toBe('kept');
  });

  it('keeps the SDK warning variable when the user set it', async () => {
    const result = await sandbox.run(['exec', '--', 'sh', '-c', 'printf %s "$AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"'], {
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'mine' },
    });
    expect(result.stdout).toBe('mine');
  });

  it('passes the exit code through: 7 for exit 7, 128+n for a signal, 127 for a missing command', async () => {
    expect((await sandbox.run(['exec', '--', 'sh', '-c', 'exit 7'])).exitCode).toBe(7);
    expect((await sandbox.run(['exec', '--', 'sh', '-c', 'exit 0'])).exitCode).toBe(0);
    expect((await sandbox.run(['exec', '--', 'sh', '-c', 'kill -TERM $$'])).exitCode).toBe(128 + 15);
    expect((await sandbox.run(['exec', '--', 'sh', '-c', 'kill -KILL $$'])).exitCode).toBe(128 + 9);
    const missing = await sandbox.run(['exec', '--', 'mfa-env-no-such-command']);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('command not found: mfa-env-no-such-command');
  });

  it('everything after -- belongs to the command, even --profile', async () => {
    const result = await sandbox.run(['exec', '--profile', 'default', '--', 'sh', '-c', 'printf "%s|" "$@"', 'sh', '--profile', 'prod', '--', '-x']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('--profile|prod|--|-x|');
  });

  it('stdin and stdout are the command\'s', async () => {
    const result = await sandbox.run(['exec', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped through\n' });
    expect(result.stdout).toBe('PIPED THROUGH\n');
  });

  it.each([
    ['SIGTERM', 'TERM'],
    ['SIGINT', 'INT'],
    ['SIGHUP', 'HUP'],
    ['SIGUSR1', 'USR1'],
  ] as const)('forwards %s to the command', async (signal, trapName) => {
    const { child } = await startExec(sandbox, `trap 'echo got-${trapName}; exit 3' ${trapName}; echo ready; ${WAIT_LOOP}`);
    process.kill(child.pid!, signal);
    const result = await child;
    expect(String(result.stdout)).toContain(`got-${trapName}`);
    expect(result.exitCode).toBe(3);
  });

  it('a command killed by the forwarded SIGTERM makes exec exit 143', async () => {
    const { child } = await startExec(sandbox, `echo ready; ${WAIT_LOOP}`);
    process.kill(child.pid!, 'SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
  });

  it('a Ctrl-C typed at the terminal reaches the command once (it is in the foreground group); mfa-env does not send a second', async () => {
    const counter = `let n = 0; process.on('SIGINT', () => n++); console.log('ready'); setTimeout(() => console.log('count=' + n), 1500);`;
    const log = join(sandbox.home, 'kill.strace');
    // util-linux `script` runs mfa-env on a pseudo-terminal (session leader, foreground group) and
    // types our stdin; strace records every kill(2) mfa-env makes (signals merge, so counting alone could miss one).
    const command = `exec strace -f -qq -e trace=kill -o ${log} ${process.execPath} ${CLI} exec -- ${process.execPath} -e "${counter}"`;
    const run = execa('script', ['-qfec', command, '/dev/null'], { env: { ...sandbox.env, SHELL: '/bin/sh' }, extendEnv: false, reject: false, timeout: 30_000 });
    let seen = '';
    let typed = false;
    run.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (!typed && seen.includes('ready')) {
        typed = true;
        run.stdin!.write('\x03');
      }
    });
    const result = await run;
    expect(String(result.stdout)).toContain('count=1');
    expect(result.exitCode).toBe(0);
    expect(readFileSync(log, 'utf8')).not.toMatch(/kill\(\d+, SIGINT\)/);
    // …while a SIGINT sent to mfa-env alone, without a terminal, is passed on (the it.each above).
  });

  it('without -- and a command: a usage error (exit 2) and nothing on stdout', async () => {
    const none = await sandbox.run(['exec']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('needs a command');
    const onlyOptions = await sandbox.run(['exec', '--profile', 'default', '--']);
    expect(onlyOptions.exitCode).toBe(2);
    const noSeparator = await sandbox.run(['exec', '--profile', 'default', 'sh', '-c', 'echo ran']);
    expect(noSeparator.exitCode).toBe(2);
    expect(noSeparator.stderr).toContain('`--` before the command (sh)');
    expect(noSeparator.stdout).toBe('');
    const unknown = await sandbox.run(['exec', '--bogus', '--', 'true']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--bogus');
    const badCode = await sandbox.run(['exec', '--token-code', '12345', '--', 'true']);
    expect(badCode.exitCode).toBe(2);
  });

  it('--help shows the options and exits 0', async () => {
    const result = await sandbox.run(['exec', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--profile');
    expect(result.stdout).toContain('mfa-env exec --profile dev -- aws s3 ls');
  });

  it('a role session works in the command: aws sts get-caller-identity shows the assumed role (moto checks signatures)', async () => {
    // Its own cache: with a cached MFA session of `default` the role would be chained from it,
    // and moto's GetSessionToken answer (fixed example keys) cannot sign anything.
    const roleSandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    try {
      roleSandbox.writeCredentials(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
      roleSandbox.writeConfig(`[profile admin]\nregion = us-east-1\nrole_arn = ${roleArn}\nsource_profile = default\nmfa_serial = ${user.serial}\n`);
      const result = await roleSandbox.run(['exec', '--profile', 'admin', '--token-code', '456789', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'text', '--query', 'Arn'], {
        env: { AWS_PROFILE: 'admin' },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('assumed-role/admin/');
      // The same command with the keys forged is refused: moto really checks.
      const forged = await roleSandbox.run(['exec', '--profile', 'admin', '--', 'sh', '-c', 'AWS_SECRET_ACCESS_KEY=wrong aws sts get-caller-identity']);
      expect(forged.exitCode).not.toBe(0);
    } finally {
      roleSandbox.cleanup();
    }
  });
});
