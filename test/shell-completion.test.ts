/**
 * Tab completion: `mfa-env __complete` answers from the CLI's own command definitions and the
 * AWS files (read by the SDK's loader), and bash's completion function turns the answer into
 * COMPREPLY. The pty test types Tab for real in all three shells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { initScript, runShellFile, scratchDir } from './helpers/shell-integration.js';
import { ALL_SHELLS, INTEGRATED_SHELLS } from './helpers/shells.js';

let sandbox: Sandbox;
const scratch = scratchDir();

beforeAll(() => {
  sandbox = makeSandbox();
  sandbox.writeConfig('[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[profile prod]\nregion = us-east-1\n\n[sso-session corp]\nsso_region = us-east-1\n');
  sandbox.writeCredentials('[ci-only]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
});
afterAll(() => {
  sandbox?.cleanup();
  scratch.cleanup();
});

async function candidates(...words: string[]): Promise<string[]> {
  const result = await sandbox.run(['__complete', '--', ...words]);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

describe('mfa-env __complete', () => {
  it('the first word: every documented subcommand, and not the hidden __complete', async () => {
    const commands = await candidates('');
    expect(commands).toEqual(expect.arrayContaining(['clear', 'init', 'login', 'prompt']));
    expect(commands).not.toContain('__complete');
    expect(commands).toEqual([...commands].sort());
    expect(await candidates('lo')).toEqual(['login']);
    expect(await candidates('--')).toEqual(['--help', '--version']);
  });

  it('options of the command being typed', async () => {
    expect(await candidates('login', '--')).toEqual(expect.arrayContaining(['--profile', '--duration', '--token-code', '--force', '--shell', '--help']));
    expect(await candidates('clear', '--f')).toEqual(['--forget']);
    expect(await candidates('init', '--')).toEqual(['--no-prompt', '--help']);
  });

  it('profile names from config and credentials (not sso-session sections), for --profile and -p', async () => {
    expect(await candidates('login', '--profile', '')).toEqual(['ci-only', 'default', 'dev', 'prod']);
    expect(await candidates('login', '-p', 'd')).toEqual(['default', 'dev']);
  });

  it('values of --shell, and the shell of init (once)', async () => {
    expect(await candidates('login', '--shell', '')).toEqual([...ALL_SHELLS]);
    expect(await candidates('init', '')).toEqual(INTEGRATED_SHELLS);
    expect(await candidates('init', '--no-prompt', 'z')).toEqual(['zsh']);
    expect(await candidates('init', 'bash', '')).toEqual([]);
  });

  it('nothing after `--` (exec runs another program) or for an unknown command', async () => {
    expect(await candidates('exec', '--', '')).toEqual([]);
    expect(await candidates('nosuchcommand', '')).toEqual([]);
  });

  it('unreadable AWS files: no candidates, no error', async () => {
    const result = await sandbox.run(['__complete', '--', 'login', '--profile', ''], { env: { AWS_CONFIG_FILE: scratch.dir } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('bash completion function', () => {
  it('fills COMPREPLY from the words before the cursor', async () => {
    const init = scratch.write('init.bash', await initScript('bash'));
    const file = scratch.write(
      'complete.bash',
      `source '${init}'\ncomplete -p mfa-env\nCOMP_WORDS=(mfa-env login --profile p)\nCOMP_CWORD=3\n__mfa_env_complete\nprintf '<%s>' "\${COMPREPLY[@]}"\n`,
    );
    const result = await runShellFile('bash', file, sandbox.env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('complete -o default -F __mfa_env_complete mfa-env\n<prod>');
  });
});
