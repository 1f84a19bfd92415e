/**
 * A user's-eye run in a real terminal (tmux), in bash, zsh and fish started without rc files in a
 * scratch HOME: load the integration, Tab-complete, type `mfa-env login --profile dev`, type the
 * MFA code at the prompt it shows on /dev/tty (moto_server is the STS), and see the variables
 * set and the segment in the prompt the shell draws; `$?` still shows in the user's prompt; a
 * failed login changes nothing; `mfa-env clear` removes variables and segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts } from './helpers/fake-sts.js';
import { SEED_USER_REQUESTS, seedUser, startMoto, type Moto, type SeededUser } from './helpers/moto.js';
import { CLI, makeSandbox, type Sandbox } from './helpers/sandbox.js';
import { SHELLS, type TestShell } from './helpers/shell-integration.js';
import { TmuxShell } from './helpers/tmux.js';

const NODE = process.execPath;

/**
 * How each shell starts, and what the user's rc file would hold: mfa-env between a prompt and a
 * prompt hook of the user's own, registered after mfa-env's. The prompt shows `[$?/status the
 * user's hook saw]`: the shells restore `$?` for the prompt themselves, but a hook that runs after
 * mfa-env's sees whatever mfa-env's returned.
 */
const SETUP: Record<TestShell, { argv: string[]; lines: string[] }> = {
  bash: {
    argv: ['bash', '--noprofile', '--norc'],
    lines: [`PS1='[$?/$hook_saw] ready> '`, `eval "$('${NODE}' '${CLI}' init bash)"`, `PROMPT_COMMAND+=$'\\n''hook_saw=$?'`],
  },
  zsh: {
    argv: ['zsh', '-f'],
    lines: [
      'autoload -Uz compinit && compinit -u',
      `PROMPT='[%?/$hook_saw] ready> '`,
      `eval "$('${NODE}' '${CLI}' init zsh)"`,
      'user_hook() { hook_saw=$? }; precmd_functions+=(user_hook)',
    ],
  },
  fish: {
    argv: ['fish', '--no-config'],
    // No autosuggestions: a suggestion from history would show the text the completion must produce.
    lines: [
      'set -g fish_autosuggestion_enabled 0',
      `function fish_prompt; printf '[%s/%s] ready> ' $status $status; end`,
      `'${NODE}' '${CLI}' init fish | source`,
    ],
  },
};

/** The last non-empty line on the screen: the prompt the shell is showing now. */
function promptLine(screen: string): string {
  return screen.split('\n').filter((line) => line.trim() !== '').at(-1) ?? '';
}

/** The prompt as drawn: the segment in front (bash, zsh) or on the right (fish), then `[status] ready>`. */
function expectedPrompt(shell: TestShell, status: number, segment?: RegExp): RegExp {
  const left = `\\[${status}/${status}\\] ready>`;
  if (!segment) return new RegExp(`^${left}$`);
  return shell === 'fish' ? new RegExp(`^${left}\\s+${segment.source}$`) : new RegExp(`^${segment.source} ${left}$`);
}

// 12 h, the default: moto's expiry may land a second past it.
const SEGMENT = /dev (?:11h5\d|12h00)m/;

let moto: Moto;
let user: SeededUser;
let fake: FakeSts;

beforeAll(async () => {
  moto = await startMoto({ authAfter: SEED_USER_REQUESTS });
  user = await seedUser(moto);
  fake = await startFakeSts(() => ({ kind: 'error', status: 403, code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.' }));
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  await fake?.close();
});

describe.each(SHELLS.map((shell, i) => ({ shell, code: String(314159 + i * 111111) })))('$shell in tmux', ({ shell, code }) => {
  let sandbox: Sandbox;
  let term: TmuxShell;
  let step = 0;

  /** Runs `command`, waits for its output to end in a fresh prompt; returns output and prompt line. */
  async function run(command: string): Promise<{ output: string; prompt: string }> {
    const marker = `done-${++step}`;
    await term.type(`${command}; echo ${marker}`);
    const screen = await term.waitFor(new RegExp(`^${marker}\\n(?:.*\\n)*.*ready>.*$`, 'm'));
    // The lines between the command line (fish draws its right prompt on it) and the marker.
    const lines = screen.split('\n');
    const commandLine = lines.findLastIndex((line) => line.includes(`; echo ${marker}`));
    const markerLine = lines.lastIndexOf(marker);
    return { output: lines.slice(commandLine + 1, markerLine).join('\n').trim(), prompt: promptLine(screen) };
  }

  /** Waits for the prompt after a command (no marker: `$?` must be the command's own). */
  async function promptAfter(command: string, status: number, segment?: RegExp): Promise<void> {
    await term.type(command);
    const escaped = command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const screen = await term.waitFor(new RegExp(`${escaped}(?:[^\\n]*)\\n(?:.*\\n)*.*ready>.*$`), { timeout: 30_000 });
    expect(promptLine(screen)).toMatch(expectedPrompt(shell, status, segment));
  }

  beforeAll(async () => {
    sandbox = makeSandbox({ AWS_ENDPOINT_URL: moto.endpoint });
    sandbox.writeCredentials(`[dev]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
    sandbox.writeConfig(`[profile dev]\nregion = eu-west-1\nmfa_serial = ${user.serial}\n\n[profile prod]\nregion = us-east-1\nmfa_serial = ${user.serial}\n`);
    term = await TmuxShell.start(SETUP[shell].argv, sandbox.env);
    for (const line of SETUP[shell].lines) await term.type(line);
    const ready = await run('echo loaded');
    expect(ready.output).toBe('loaded');
    expect(ready.prompt).toMatch(expectedPrompt(shell, 0));
  }, 60_000);
  afterAll(async () => {
    await term?.kill();
    sandbox?.cleanup();
  });

  it('Tab completes the subcommand, the option and a profile name from ~/.aws/config', async () => {
    await term.type('mfa-env lo', { enter: false });
    await term.press('Tab');
    await term.waitFor(/ready> mfa-env login\s*$/m);
    await term.type('--prof', { enter: false });
    await term.press('Tab');
    await term.waitFor(/ready> mfa-env login --profile\s*$/m);
    await term.type('pr', { enter: false });
    await term.press('Tab');
    await term.waitFor(/ready> mfa-env login --profile prod\s*$/m);
    await term.press('C-c');
    const after = await run('echo completed');
    expect(after.output).toBe('completed');
  }, 60_000);

  it('login: the code typed at the prompt, then the variables are set and the prompt shows the segment', async () => {
    await term.type('mfa-env login --profile dev');
    await term.waitFor(/MFA code for arn:aws:iam::\d+:mfa\/alice \(profile dev\):\s*$/m);
    await term.type(code);
    const screen = await term.waitFor(/MFA session until[\s\S]*ready>.*$/);
    expect(promptLine(screen)).toMatch(expectedPrompt(shell, 0, SEGMENT));
    const vars = await run('echo "key=$AWS_ACCESS_KEY_ID profile=$MFA_ENV_PROFILE expires=$MFA_ENV_EXPIRES"');
    expect(vars.output).toMatch(/^key=A[SK]IA\w+ profile=dev expires=\d{10}$/);
    expect(vars.prompt).toMatch(expectedPrompt(shell, 0, SEGMENT));
  }, 60_000);

  it('the user\'s prompt still shows $? of the last command', async () => {
    await promptAfter('false', 1, SEGMENT);
    await promptAfter('true', 0, SEGMENT);
  }, 60_000);

  it('failed logins (unknown profile; STS refusing the code) return 1 and keep the session', async () => {
    const before = (await run('echo "key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY expires=$MFA_ENV_EXPIRES"')).output;
    expect(before).toMatch(/^key=A[SK]IA\w+ /);
    await promptAfter('mfa-env login --profile nosuch', 1, SEGMENT);
    await promptAfter(`AWS_ENDPOINT_URL_STS=${fake.endpoint} mfa-env login --profile dev --force --token-code 987654`, 1, SEGMENT);
    expect(fake.calls).not.toHaveLength(0);
    const after = (await run('echo "key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY expires=$MFA_ENV_EXPIRES"')).output;
    expect(after).toBe(before);
  }, 60_000);

  it('clear: the variables and the segment are gone', async () => {
    await promptAfter('mfa-env clear', 0);
    const vars = await run('echo "key=[$AWS_ACCESS_KEY_ID] profile=[$MFA_ENV_PROFILE] expires=[$MFA_ENV_EXPIRES]"');
    expect(vars.output).toBe('key=[] profile=[] expires=[]');
    expect(vars.prompt).toMatch(expectedPrompt(shell, 0));
  }, 60_000);
});
