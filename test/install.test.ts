/**
 * install.sh (run by `sh`, i.e. dash on Debian: POSIX only) into a scratch HOME whose rc files
 * already hold the user's own lines: the second run changes no byte; the shells then load the
 * integration from their rc files; --uninstall puts every byte back and removes the link.
 * The npm steps are skipped with MFA_ENV_SKIP_BUILD=1: the test run has built the checkout.
 */
import { execa } from 'execa';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/sandbox.js';
import { scratchDir } from './helpers/shell-integration.js';

const INSTALL = join(ROOT, 'install.sh');
const TARGET = join(ROOT, 'bin', 'mfa-env.js');
const BASHRC = 'alias ll="ls -l"\nexport EDITOR=vi\n';
// No final newline: install.sh must not leave one behind.
const ZSHRC = '# my zshrc\nbindkey -e\nsetopt no_beep';
const FISH_CONFIG = 'set -g fish_greeting\n';

let scratch: ReturnType<typeof scratchDir>;
let home: string;
let binDir: string;

function rcFiles() {
  return {
    bashrc: join(home, '.bashrc'),
    zshrc: join(home, '.zshrc'),
    fishConfig: join(home, '.config', 'fish', 'config.fish'),
    fishConfD: join(home, '.config', 'fish', 'conf.d', 'mfa-env.fish'),
  };
}

/** Every rc file's bytes (undefined: no such file). */
function snapshot(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(rcFiles()).map(([name, path]) => [name, existsSync(path) ? readFileSync(path, 'utf8') : undefined]));
}

function install(args: string[] = [], env: Record<string, string> = {}) {
  return execa('sh', [INSTALL, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, MFA_ENV_BIN_DIR: binDir, MFA_ENV_SKIP_BUILD: '1', ...env },
    extendEnv: false,
    reject: false,
  });
}

beforeEach(() => {
  scratch = scratchDir('mfa-env-install-');
  home = join(scratch.dir, 'home');
  binDir = join(scratch.dir, 'bin dir');
  mkdirSync(join(home, '.config', 'fish'), { recursive: true });
  // ~/.bashrc is a link into a dotfiles repository, as many people keep it.
  mkdirSync(join(home, 'dotfiles'));
  writeFileSync(join(home, 'dotfiles', 'bashrc'), BASHRC);
  symlinkSync(join(home, 'dotfiles', 'bashrc'), rcFiles().bashrc);
  writeFileSync(rcFiles().zshrc, ZSHRC);
  writeFileSync(rcFiles().fishConfig, FISH_CONFIG);
});
afterEach(() => scratch.cleanup());

describe('install.sh', () => {
  it('twice, then --uninstall: the second run changes nothing, uninstall restores every byte', async () => {
    const before = snapshot();
    const first = await install();
    expect(first.stderr).toContain('is not on your PATH');
    expect(first.exitCode, first.stderr).toBe(0);
    const afterFirst = snapshot();
    expect(afterFirst.bashrc).toMatch(new RegExp(`^${BASHRC.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}# >>> mfa-env >>>\n`));
    expect(afterFirst.zshrc!.startsWith(`${ZSHRC}\n# >>> mfa-env >>>\n`)).toBe(true);
    expect(afterFirst.fishConfD).toContain(`'${join(binDir, 'mfa-env')}' init fish | source`);
    expect(afterFirst.fishConfig).toBe(FISH_CONFIG);
    expect(readlinkSync(join(binDir, 'mfa-env'))).toBe(TARGET);

    const second = await install();
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('already links to this checkout');
    expect(second.stdout).toContain('already loads mfa-env');
    expect(snapshot()).toEqual(afterFirst);

    const removed = await install(['--uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(binDir, 'mfa-env'))).toBe(false);
    // The dotfiles link is still a link, and its target got the user's bytes back.
    expect(lstatSync(rcFiles().bashrc).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(home, 'dotfiles', 'bashrc'), 'utf8')).toBe(BASHRC);
  });

  it('the shells load the integration from their rc files', async () => {
    expect((await install()).exitCode).toBe(0);
    const env = { PATH: process.env.PATH ?? '', HOME: home, TERM: 'dumb' };
    const run = (shell: string, args: string[]) => execa(shell, args, { env, extendEnv: false, reject: false, stdin: 'ignore', detached: true });
    const bash = await run('bash', ['-i', '-c', 'type -t mfa-env mfa_env_prompt; mfa-env --version']);
    expect(bash.stdout.split('\n').slice(0, 2)).toEqual(['function', 'function']);
    expect(bash.stdout).toMatch(/^\d+\.\d+\.\d+$/m);
    const zsh = await run('zsh', ['-i', '-c', 'whence -w mfa-env mfa_env_prompt']);
    expect(zsh.stdout).toBe('mfa-env: function\nmfa_env_prompt: function');
    const fish = await run('fish', ['-c', 'functions -q mfa-env mfa_env_prompt; and echo loaded']);
    expect(fish.stdout).toBe('loaded');
  });

  it('an rc line that outlives the link does nothing (no error at shell start)', async () => {
    expect((await install()).exitCode).toBe(0);
    const result = await execa('sh', ['-c', `rm "$1"; bash --noprofile --rcfile "$2" -i -c 'type -t mfa-env || echo none'`, 'sh', join(binDir, 'mfa-env'), rcFiles().bashrc], {
      env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'dumb' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      detached: true,
    });
    expect(result.stdout).toBe('none');
    expect(result.stderr).not.toContain('mfa-env');
  });

  it('--no-modify-rc links but only prints the rc lines', async () => {
    const before = snapshot();
    const result = await install(['--no-modify-rc']);
    expect(result.exitCode).toBe(0);
    expect(snapshot()).toEqual(before);
    const quoted = `'${join(binDir, 'mfa-env')}'`;
    expect(result.stdout).toContain(`if [ -x ${quoted} ]; then eval "$(${quoted} init bash)"; fi`);
    expect(result.stdout).toContain(`if [ -x ${quoted} ]; then eval "$(${quoted} init zsh)"; fi`);
    expect(result.stdout).toContain(`if test -x ${quoted}; ${quoted} init fish | source; end`);
    expect(readlinkSync(join(binDir, 'mfa-env'))).toBe(TARGET);
  });

  it('no PATH warning when the bin dir is on PATH', async () => {
    const result = await install([], { PATH: `${binDir}:${process.env.PATH ?? ''}` });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('PATH');
  });

  it('a moved bin dir: the rc lines are updated in place, the user lines untouched', async () => {
    expect((await install()).exitCode).toBe(0);
    const moved = join(scratch.dir, 'other-bin');
    const result = await install([], { MFA_ENV_BIN_DIR: moved });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('updated the mfa-env line');
    const after = snapshot();
    expect(after.zshrc).toBe(`${ZSHRC}\n# >>> mfa-env >>>\n# Added by mfa-env's install.sh; \`install.sh --uninstall\` removes this block.\nif [ -x '${moved}/mfa-env' ]; then eval "$('${moved}/mfa-env' init zsh)"; fi\n# <<< mfa-env <<<`);
    expect(after.bashrc!.match(/>>> mfa-env >>>/g)).toHaveLength(1);
  });

  it('refuses to replace a file that is not a link', async () => {
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'mfa-env'), '#!/bin/sh\necho mine\n');
    const result = await install();
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('exists and is not a link');
    expect(readFileSync(join(binDir, 'mfa-env'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('checks for Node.js >= 20 and for npm, with a clear message, before changing anything', async () => {
    const before = snapshot();
    // A PATH with the tools install.sh uses, an old node, and no npm.
    const tools = join(scratch.dir, 'tools');
    mkdirSync(tools);
    for (const tool of ['sh', 'dirname', 'sed', 'mkdir', 'ln', 'readlink', 'grep', 'awk', 'tail', 'cat', 'mktemp', 'rm']) {
      const found = await execa('sh', ['-c', `command -v ${tool}`]);
      symlinkSync(String(found.stdout), join(tools, tool));
    }
    writeFileSync(join(tools, 'node'), '#!/bin/sh\necho 18\n', { mode: 0o755 });
    const old = await install([], { PATH: tools, MFA_ENV_SKIP_BUILD: '' });
    expect(old.exitCode).toBe(1);
    expect(old.stderr).toContain('Node.js >= 20 is required');
    writeFileSync(join(tools, 'node'), `#!/bin/sh\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const noNpm = await install([], { PATH: tools, MFA_ENV_SKIP_BUILD: '' });
    expect(noNpm.exitCode).toBe(1);
    expect(noNpm.stderr).toContain('npm is required');
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(binDir, 'mfa-env'))).toBe(false);
  });

  it('unknown options: usage, exit 2', async () => {
    const result = await install(['--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown option --frobnicate');
    expect(result.stderr).toContain('--uninstall');
  });
});

describe('the shell list install.sh uses comes from the shell records', () => {
  it('`init --rc-table` has one row per integrated shell: its first rc file and its guarded init line', async () => {
    const { INTEGRATED_SHELLS } = await import('./helpers/shells.js');
    const { SHELLS, shellPaths } = await import('../src/shells/index.js');
    const link = join(binDir, "it's mfa-env");
    const env = { PATH: process.env.PATH ?? '', HOME: home, ZDOTDIR: join(home, 'zdot') };
    const result = await execa(process.execPath, [TARGET, 'init', '--rc-table', link], { env, extendEnv: false });
    const rows = String(result.stdout).split('\n').map((line) => line.split('\t'));
    expect(rows.map((row) => row[0])).toEqual(INTEGRATED_SHELLS);
    for (const [name, rcFile, line] of rows) {
      const integration = SHELLS[name as (typeof INTEGRATED_SHELLS)[number]].integration!;
      expect(rcFile).toBe(integration.rcFiles(shellPaths(env))[0]);
      expect(line).toBe(integration.guardedInitLine(SHELLS[name as 'bash'].quote(link)));
    }
    expect(rows.find((row) => row[0] === 'zsh')![1]).toBe(join(home, 'zdot', '.zshrc'));
  });

  it('install.sh spells out no shell list of its own', () => {
    const script = readFileSync(INSTALL, 'utf8');
    expect(script).not.toMatch(/\bbash\b[^\n]*\bzsh\b|\bzsh\b[^\n]*\bfish\b/);
    expect(script).not.toMatch(/^\s*(bash|zsh|fish)\)/m);
  });
});
