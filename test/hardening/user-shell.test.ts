/**
 * Issue 15, items 1, 2, 3 and 11: the user's own shell, in a real terminal (tmux).
 * 1. `export`/`unset` taken over by an alias AND a function: through the integration and a plain
 *    `eval "$(mfa-env login)"`, the session is still set, AWS_PROFILE unset, no secret shown.
 * 2. bash in POSIX mode (`set -o posix`, POSIXLY_CORRECT=1): the integration loads, POSIX mode
 *    stays on, and a login prints no export line to the terminal.
 * 3. `set -e` (bash) / `setopt errexit` (zsh): a failed command does not end the shell through
 *    the prompt hook, and the prompt still shows its `$?`.
 * 11. fish: `mfa-env login … 2>/dev/null` through the wrapper silences mfa-env's own stderr.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { stsSandbox } from '../helpers/hardening.js';
import { CLI, type Sandbox } from '../helpers/sandbox.js';
import { SHELL_TABLE, type ShellName, type TestShell } from '../helpers/shells.js';
import { TmuxShell } from '../helpers/tmux.js';

const NODE = process.execPath;
const INIT = (shell: TestShell) => (shell === 'fish' ? `'${NODE}' '${CLI}' init fish | source` : `eval "$('${NODE}' '${CLI}' init ${shell})"`);
/** The fake STS's secrets start so; the hijackers print this word. */
const SECRET = 'fakeSecret';
const HIJACK = 'HIJACKED';

let fake: FakeSts;
let sandbox: Sandbox;
let term: TmuxShell | undefined;
let nextCode = 200000;
const code = () => String(nextCode++);

beforeAll(async () => {
  fake = await startFakeSts();
  sandbox = stsSandbox(fake);
  // `mfa-env` on PATH, as after install: a plain `eval "$(mfa-env login)"` and a wrapper that failed to load both reach it.
  const bin = join(sandbox.home, 'bin');
  mkdirSync(bin);
  symlinkSync(CLI, join(bin, 'mfa-env'));
  sandbox.env.PATH = `${bin}:${sandbox.env.PATH}`;
});
afterAll(async () => {
  await fake?.close();
  sandbox?.cleanup();
});
afterEach(async () => {
  await term?.kill();
  term = undefined;
});

let step = 0;
/** Types `command`, then a marker; returns the screen once the marker and a fresh prompt show. */
async function run(command: string): Promise<string> {
  const marker = `done-${++step}`;
  await term!.type(`${command}; echo ${marker}`);
  return term!.waitFor(new RegExp(`^${marker}\\n(?:.*\\n)*.*ready>.*$`, 'm'));
}

async function start(shell: TestShell, lines: string[], env: Record<string, string> = {}) {
  term = await TmuxShell.start(SHELL_TABLE[shell].interactive, { ...sandbox.env, AWS_PROFILE: 'default', ...env });
  for (const line of lines) await term.type(line);
  await run('echo started');
  await term.clear();
}

const PROMPT: Record<ShellName, string> = {
  bash: `PS1='[$?] ready> '`,
  zsh: `PROMPT='[%?] ready> '`,
  fish: `function fish_prompt; printf '[%s] ready> ' $status; end`,
  sh: `PS1='ready> '`,
};
const SHOW = 'echo "key=${AWS_ACCESS_KEY_ID:-none} profile=${AWS_PROFILE:-unset}"';

/** An alias and a function for both export and unset, that print what they were handed. */
const HIJACKERS: Partial<Record<ShellName, string[]>> = {
  bash: [`function export { echo ${HIJACK} "$@"; }`, `function unset { echo ${HIJACK} "$@"; }`, `alias export='echo ${HIJACK}' unset='echo ${HIJACK}'`],
  zsh: [`function export { echo ${HIJACK} "$@"; }`, `function unset { echo ${HIJACK} "$@"; }`, `alias export='echo ${HIJACK}' unset='echo ${HIJACK}'`],
  // dash and bash --posix refuse a function named export or unset (POSIX special built-ins): an alias is what they can hold.
  sh: [`alias export='echo ${HIJACK}' unset='echo ${HIJACK}'`],
};

describe('item 1: export and unset taken over by an alias and a function', () => {
  for (const shell of ['bash', 'zsh'] as const) {
    it(`${shell}: through the integration and a plain eval, the session is set and nothing leaks`, async () => {
      await start(shell, [PROMPT[shell], INIT(shell), ...HIJACKERS[shell]!]);
      const wrapper = await run(`mfa-env login --token-code ${code()}; ${SHOW}`);
      expect(wrapper).toMatch(/key=ASIAFAKE\w+ profile=unset/);
      await run(`mfa-env clear; export AWS_PROFILE=default 2>/dev/null; AWS_PROFILE=default; builtin export AWS_PROFILE`);
      await term!.clear();
      const plain = await run(`eval "$(command mfa-env login --force --token-code ${code()})"; ${SHOW}`);
      expect(plain).toMatch(/key=ASIAFAKE\w+ profile=unset/);
      for (const screen of [wrapper, plain]) {
        expect(screen).not.toContain(SECRET);
        expect(screen).not.toContain(HIJACK);
      }
    }, 60_000);
  }

  for (const variant of [{ name: 'dash', argv: ['dash', '-i'] }, { name: 'bash --posix', argv: ['bash', '--posix', '--noprofile', '--norc', '-i'] }]) {
    it(`sh output in ${variant.name}: an alias cannot take it over`, async () => {
      term = await TmuxShell.start(variant.argv, { ...sandbox.env, AWS_PROFILE: 'default', ENV: '/dev/null' });
      for (const line of [PROMPT.sh, ...HIJACKERS.sh!]) await term.type(line);
      await run('echo started');
      await term.clear();
      const screen = await run(`eval "$(mfa-env login --shell sh --force --token-code ${code()})"; ${SHOW}`);
      expect(screen).toMatch(/key=ASIAFAKE\w+ profile=unset/);
      expect(screen).not.toContain(SECRET);
      expect(screen).not.toContain(HIJACK);
    }, 60_000);
  }
});

describe('item 2: bash in POSIX mode', () => {
  for (const mode of [{ name: 'set -o posix', lines: ['set -o posix'], env: {} as Record<string, string> }, { name: 'POSIXLY_CORRECT=1', lines: [], env: { POSIXLY_CORRECT: '1' } }]) {
    it(`${mode.name}: the integration loads, POSIX mode stays on, a login prints no export line`, async () => {
      await start('bash', [PROMPT.bash, ...mode.lines, INIT('bash')], mode.env);
      const loaded = await run('type -t mfa-env; shopt -o posix; echo "pc=${POSIXLY_CORRECT-unset} exported=$(printenv POSIXLY_CORRECT || echo none)"');
      expect(loaded).toMatch(/^function$/m);
      expect(loaded).toMatch(/^posix\s+on$/m);
      // As the user had it: from the environment (exported), or set by `set -o posix` (not exported).
      expect(loaded).toContain(mode.env.POSIXLY_CORRECT === '1' ? 'pc=1 exported=1' : 'pc=y exported=none');
      expect(loaded).not.toContain('not a valid identifier');
      const login = await run(`mfa-env login --force --token-code ${code()}; ${SHOW}`);
      expect(login).toMatch(/key=ASIAFAKE\w+ profile=unset/);
      expect(login).not.toMatch(/export AWS_|unset AWS_/);
      expect(login).not.toContain(SECRET);
    }, 60_000);
  }
});

describe('item 3: errexit in an interactive shell', () => {
  const ERREXIT: Partial<Record<TestShell, string>> = { bash: 'set -e', zsh: 'setopt errexit' };
  for (const shell of ['bash', 'zsh'] as const) {
    it(`${shell}: a failed command (no errexit of its own) leaves the shell alive, and the prompt shows its $?`, async () => {
      await start(shell, [PROMPT[shell], INIT(shell), ERREXIT[shell]!]);
      // `false && true` fails without triggering errexit itself: only the prompt hook could end the shell.
      await term!.type('false && true');
      const screen = await term!.waitFor(/false && true\n\[1\] ready>$/);
      expect(screen).toMatch(/\[1\] ready>$/);
      const alive = await run('echo "still here"');
      expect(alive).toContain('still here');
    }, 60_000);
  }
});

describe('item 11: fish, 2>/dev/null on the wrapper', () => {
  it('silences mfa-env\'s own stderr, and the session is still set', async () => {
    await start('fish', [PROMPT.fish, INIT('fish')]);
    const quiet = await run(`mfa-env login --force --token-code ${code()} 2>/dev/null; echo "key=$AWS_ACCESS_KEY_ID"`);
    expect(quiet).toMatch(/key=ASIAFAKE\w+/);
    expect(quiet).not.toContain('MFA session until');
    // The same without the redirection shows it: the test sees mfa-env's stderr when it is there.
    const loud = await run(`mfa-env login --force --token-code ${code()}`);
    expect(loud).toContain('MFA session until');
  }, 60_000);
});
