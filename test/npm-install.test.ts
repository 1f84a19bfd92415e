import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { ROOT } from './helpers/sandbox.js';

/**
 * `npm pack` + `npm install -g` of the tarball into a fresh prefix and HOME, with an empty npm
 * cache and `--offline`: the package carries its dependencies (bundleDependencies), so the
 * install needs no registry. The installed command then runs on its own files only.
 */
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const work = mkdtempSync(join(tmpdir(), 'mfa-env-npm-install-'));
const prefix = join(work, 'prefix');
const home = join(work, 'home');
const installed = join(prefix, 'lib', 'node_modules', 'mfa-env');
let sts: FakeSts;

/** A clean environment: the prefix's bin first, nothing of the developer's HOME or npm config. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_PROXY: '*',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

const run = (file: string, args: string[], extra: Record<string, string> = {}) =>
  execa(file, args, { env: env(extra), extendEnv: false, reject: false, cwd: home, input: '', detached: true, timeout: 60_000 });

beforeAll(async () => {
  mkdirSync(join(home, '.aws'), { recursive: true });
  // --ignore-scripts: the prepack script would rebuild dist/ under the other test files that
  // run it; `npm test` has just built it, which is what prepack does (package.json).
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, '--cache', join(work, 'npm-cache')], { cwd: ROOT, env: env(), extendEnv: false });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  await execa('npm', ['install', '-g', '--prefix', prefix, '--offline', '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', join(work, filename)], { cwd: home, env: env(), extendEnv: false });
  sts = await startFakeSts();
}, 300_000);

afterAll(async () => {
  await sts?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('npm install -g of the packed package', () => {
  it('puts mfa-env on the prefix bin, with no file from the checkout', async () => {
    expect(realpathSync(join(prefix, 'bin', 'mfa-env'))).toBe(join(realpathSync(installed), 'bin', 'mfa-env.js'));
    const result = await run('mfa-env', ['--version']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).scripts.prepack).toMatch(/npm run build/);
  });

  it.each(['bash', 'zsh', 'fish'])('init %s points at the installed command and the shell runs it', async (shell) => {
    const init = await run('mfa-env', ['init', shell]);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain(realpathSync(join(installed, 'bin', 'mfa-env.js')));
    expect(init.stdout).not.toContain(ROOT);
    // The integration, sourced by the real shell, runs the installed command through its wrapper.
    const script = join(work, `init.${shell}`);
    writeFileSync(script, init.stdout);
    const argv = shell === 'fish' ? ['--no-config', '-c', `source ${script}; mfa-env --version`] : [shell === 'zsh' ? '--no-rcs' : '--norc', '-c', `source ${script}; mfa-env --version`];
    const sourced = await run(shell, argv);
    expect(sourced.stderr).toBe('');
    expect(sourced.stdout.trim()).toBe(version);
  });

  it('logs in against a loopback STS with the AWS SDK it installed', async () => {
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIANPMINSTALL000001\naws_secret_access_key = secret\n', { mode: 0o600 });
    writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/npm\n');
    const login = await run('mfa-env', ['login', '--shell', 'bash', '--token-code', '123456'], { AWS_ENDPOINT_URL: sts.endpoint });
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^(?:\\builtin )?\\?export AWS_SESSION_TOKEN='[^']+'$/m);
    expect(sts.calls.map((call) => [call.action, call.params.get('TokenCode')])).toEqual([['GetSessionToken', '123456']]);
  });
});
