/**
 * Sessions that follow you, in real interactive shells (tmux) against moto with signature
 * checking: Follow (a forced login in one shell is taken over by another at its next prompt,
 * with no process started in bash and zsh, strace), what does not follow (another profile, a
 * cleared shell, MFA_ENV_FOLLOW=off), Renew (a 15-minute role session renewed in the
 * background with no code and nothing printed), Warn (once), and `login` taken up by the wrapper.
 */
import { execa } from 'execa';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Moto } from './helpers/moto.js';
import { startMotoWorld } from './helpers/moto.js';
import { CLI, type Sandbox } from './helpers/sandbox.js';
import { INTEGRATED_SHELLS, SHELL_TABLE, type TestShell } from './helpers/shells.js';
import { TmuxShell } from './helpers/tmux.js';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { stsSandbox } from './helpers/hardening.js';

const NODE = process.execPath;
const INIT = (shell: TestShell) => (shell === 'fish' ? `'${NODE}' '${CLI}' init fish | source` : `eval "$('${NODE}' '${CLI}' init ${shell})"`);
const PROMPT: Record<TestShell, string> = {
  bash: `PS1='ready> '`,
  zsh: `PROMPT='ready> '`,
  fish: `function fish_prompt; printf 'ready> '; end; function fish_right_prompt; end`,
};
// moto hands out one access key id for every session: the expiry tells sessions apart.
const SHOW = 'echo "key=${AWS_ACCESS_KEY_ID:-none} exp=${MFA_ENV_EXPIRES:-none} profile=${MFA_ENV_PROFILE:-none}"';

let moto: Moto;
let sandbox: Sandbox;
const terms: TmuxShell[] = [];
let nextCode = 300000;
const code = () => String(nextCode++);

beforeAll(async () => {
  ({ moto, sandbox } = await startMotoWorld());
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  sandbox?.cleanup();
});
afterEach(async () => {
  for (const term of terms.splice(0)) await term.kill();
});

let step = 0;
async function run(term: TmuxShell, command: string): Promise<string> {
  const marker = `done-${++step}`;
  await term.clear();
  await term.type(`${command}; echo ${marker}`);
  // The whole screen: the command, its output, and what the next prompt's hook printed.
  return term.waitFor(new RegExp(`^${marker}\\n(?:.*\\n)*.*ready>.*$`, 'm'), { timeout: 60_000 });
}

async function start(shell: TestShell, env: Record<string, string> = {}, box: Sandbox = sandbox): Promise<TmuxShell> {
  const term = await TmuxShell.start(SHELL_TABLE[shell].interactive, { ...box.env, ...env });
  terms.push(term);
  shellOf.set(term, shell);
  await term.type(PROMPT[shell]);
  await term.type(INIT(shell));
  await run(term, 'echo started');
  return term;
}

/** fish has no `${…:-…}`: an unset variable shows as nothing, read back as `none`. */
const FISH_SHOW = 'echo "key=$AWS_ACCESS_KEY_ID exp=$MFA_ENV_EXPIRES profile=$MFA_ENV_PROFILE"';
const shellOf = new WeakMap<TmuxShell, TestShell>();

async function show(term: TmuxShell): Promise<{ key: string; exp: string; profile: string }> {
  const screen = await run(term, shellOf.get(term) === 'fish' ? FISH_SHOW : SHOW);
  const match = /^key=(\S*) exp=(\S*) profile=(\S*) *$/m.exec(screen)!;
  return { key: match[1] || 'none', exp: match[2] || 'none', profile: match[3] || 'none' };
}

async function panePid(term: TmuxShell): Promise<number> {
  const result = await execa('tmux', ['-L', term.socket, 'display-message', '-p', '-t', 'main', '#{pane_pid}']);
  return Number(result.stdout);
}

/** Process creations and execs of `pid` (and children) while `during` runs: strace attached. */
async function processesDuring(pid: number, during: () => Promise<void>): Promise<string[]> {
  const log = join(sandbox.home, `strace-${pid}-${step}.log`);
  const tracer = execa('strace', ['-f', '-qq', '-o', log, '-e', 'trace=fork,vfork,clone,clone3,execve', '-p', String(pid)], { reject: false });
  await new Promise((resolve) => setTimeout(resolve, 700));
  await during();
  tracer.kill('SIGINT');
  await tracer;
  const lines = readFileSync(log, 'utf8').split('\n').filter((line) => /(clone3?|v?fork|execve)\(/.test(line));
  rmSync(log, { force: true });
  return lines;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(INTEGRATED_SHELLS)('%s', (shell) => {
  it('takes over a forced login of another shell at the next prompt; other profiles, a cleared shell and MFA_ENV_FOLLOW=off stay', async () => {
    // Another profile first, while no MFA session of default is cached (else admin would chain from it).
    const other = await start(shell);
    await run(other, `mfa-env clear --forget --profile default; mfa-env login --profile admin --force --token-code ${code()}`);
    const otherBefore = await show(other);
    expect(otherBefore.profile).toBe('admin');
    const first = await start(shell);
    await run(first, `mfa-env login --profile default --force --token-code ${code()}`);
    const before = await show(first);
    const second = await start(shell);
    // Taken up from the follow file by the wrapper: the same session, and the line that says so.
    const takenUp = await run(second, 'mfa-env login --profile default');
    expect(takenUp).toContain('from the cache');
    expect(await show(second)).toEqual(before);
    const cleared = await start(shell);
    const off = await start(shell, { MFA_ENV_FOLLOW: 'off' });
    await run(off, 'mfa-env login --profile default');
    const offBefore = await show(off);
    expect(offBefore.key).toBe(before.key);

    await sleep(1100);
    await run(first, `mfa-env login --profile default --force --token-code ${code()}`);
    const after = await show(first);
    expect(after.exp).not.toBe(before.exp);
    expect(Number(after.exp)).toBeGreaterThan(Number(before.exp));

    if (shell === 'fish') {
      await run(second, 'true');
    } else {
      const pid = await panePid(second);
      const created = await processesDuring(pid, async () => {
        await second.type('');
        await sleep(700);
      });
      expect(created).toEqual([]);
    }
    expect(await show(second)).toEqual(after);
    expect(await show(other)).toEqual(otherBefore);
    expect((await show(cleared)).key).toBe('none');
    expect(await show(off)).toEqual(offBefore);
  }, 240_000);

  it('renews a 15-minute role session in the background with no code and nothing printed', async () => {
    // The fake STS: moto does not accept a GetSessionToken session's key for AssumeRole; this one records who signed.
    const fake = await startFakeSts();
    const box = stsSandbox(fake, { extraConfig: `[profile fast]\nrole_arn = arn:aws:iam::123456789012:role/fast\nsource_profile = default\nduration_seconds = 900\n` });
    try {
      const term = await start(shell, { MFA_ENV_REFRESH_BEFORE: '899' }, box);
      // A session is renewed no sooner than a minute after the shell took it up: 5 s here, so
      // the test need not wait a minute (and the renewed one, which arrives inside the window, waits too).
      await run(term, shell === 'fish' ? 'set -g __mfa_env_renew_grace 5' : '__mfa_env_renew_grace=5');
      await run(term, `mfa-env login --profile default --force --token-code ${code()}`);
      const mfaKey = (await show(term)).key;
      expect(mfaKey).toMatch(/^ASIA/);
      // The role from the cached MFA session (no code); a second later the prompt starts the renewal.
      await run(term, 'mfa-env login --profile fast 2>/dev/null; sleep 1.2');
      const first = await show(term);
      let renewed = first;
      let screens = '';
      const deadline = Date.now() + 60_000;
      while (renewed.exp === first.exp && Date.now() < deadline) {
        await sleep(1000);
        screens += await run(term, 'true');
        renewed = await show(term);
      }
      expect(renewed.profile).toBe('fast');
      expect(Number(renewed.exp)).toBeGreaterThan(Number(first.exp));
      expect(screens).not.toMatch(/mfa-env:|code|\[\d+\]/);
      const assumes = fake.calls.filter((call) => call.action === 'AssumeRole');
      // The login's and the renewal's: both signed with the MFA session's key, neither with a code.
      expect(assumes).toHaveLength(2);
      for (const call of assumes) {
        expect(String(call.headers.authorization)).toContain(`Credential=${mfaKey}/`);
        expect(call.params.get('TokenCode')).toBeNull();
      }
    } finally {
      await fake.close();
      box.cleanup();
    }
  }, 180_000);

  it('a renewal that fails is followed by the warning, once, after its grace (no second renewal)', async () => {
    // The fake STS takes the login's AssumeRole and refuses every later one.
    let assumes = 0;
    const fake = await startFakeSts((call) =>
      call.action === 'AssumeRole' && ++assumes > 1 ? { kind: 'error', status: 403, code: 'AccessDenied', message: 'not now' } : { kind: 'credentials' },
    );
    const box = stsSandbox(fake, { extraConfig: `[profile fast]\nrole_arn = arn:aws:iam::123456789012:role/fast\nsource_profile = default\nduration_seconds = 900\n` });
    try {
      const term = await start(shell, { MFA_ENV_REFRESH_BEFORE: '899' }, box);
      // A grace of 2 s instead of a minute, so the test need not wait one.
      await run(term, shell === 'fish' ? 'set -g __mfa_env_renew_grace 2' : '__mfa_env_renew_grace=2');
      await run(term, `mfa-env login --profile default --force --token-code ${code()}`);
      let screens = await run(term, 'mfa-env login --profile fast 2>/dev/null; sleep 1.2');
      const deadline = Date.now() + 30_000;
      while (!/was not renewed in the background/.test(screens) && Date.now() < deadline) {
        await sleep(1000);
        screens += await run(term, 'true');
      }
      screens += await run(term, 'sleep 2.5') + (await run(term, 'true'));
      expect(screens.match(/mfa-env: the session of profile fast ends in \d+m and was not renewed in the background; log in again with: mfa-env login --force/g)).toHaveLength(1);
      expect(screens).not.toMatch(/cannot be renewed without a code/);
      // The login's AssumeRole and one renewal, refused: never a second renewal.
      expect(assumes).toBe(2);
    } finally {
      await fake.close();
      box.cleanup();
    }
  }, 120_000);

  it('warns once, 15 minutes before a session that cannot be renewed without a code ends', async () => {
    const term = await start(shell);
    const screen = await run(term, `mfa-env login --profile default --force --duration 15m --token-code ${code()}; echo next`);
    const afterLogin = await run(term, 'echo again');
    const again = await run(term, 'echo once-more');
    const all = screen + afterLogin + again;
    const warnings = all.match(/cannot be renewed without a code/g) ?? [];
    expect(warnings).toHaveLength(1);
  }, 120_000);
});
