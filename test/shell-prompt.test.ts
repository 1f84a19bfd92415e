/**
 * The prompt segment: the same text and colour from bash, zsh, fish and `mfa-env prompt`, for
 * every state of a session; foreign MFA_ENV_EXPIRES never runs anything; bash and zsh render
 * it without creating a process, fish with one (strace), `mfa-env prompt` is a process of its own.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types (the benchmark script)
import { benchPrompt } from './bench/prompt.mjs';
import { CLI, runCli } from './helpers/sandbox.js';
import { initScript, nowSeconds, runShellFile, scratchDir, SHELLS, visibleSegment, type TestShell } from './helpers/shell-integration.js';

/** `\\$` (bash) and `%#` (zsh) show `#` for root. */
const ROOT_USER = process.getuid?.() === 0;
const YELLOW = (text: string) => `\u001b[33m${text}\u001b[0m`;
const RED = (text: string) => `\u001b[31m${text}\u001b[0m`;

interface Case {
  name: string;
  /** Seconds from now to the expiry; undefined: MFA_ENV_EXPIRES unset. */
  left?: number;
  expires?: string;
  profile?: string;
  noColor?: string;
  /** The segment as a terminal shows it (ANSI colours, no zero-width markers). */
  expected: string;
}

// Offsets sit mid-minute, so a second or two of test time never changes the text.
const CASES: Case[] = [
  { name: 'no session', expected: '' },
  { name: '11h59m left', left: 12 * 3600 - 30, profile: 'dev', expected: 'dev 11h59m' },
  { name: '1h05m left (minutes padded)', left: 3600 + 5 * 60 + 30, profile: 'dev', expected: 'dev 1h05m' },
  { name: '42m left', left: 42 * 60 + 30, profile: 'dev', expected: 'dev 42m' },
  { name: '15m left: not yet yellow', left: 15 * 60 + 30, profile: 'dev', expected: 'dev 15m' },
  { name: '14m left: yellow', left: 14 * 60 + 30, profile: 'dev', expected: YELLOW('dev 14m') },
  { name: 'under a minute: yellow 0m', left: 30, profile: 'dev', expected: YELLOW('dev 0m') },
  { name: 'expired: red', left: -30, profile: 'prod', expected: RED('prod expired') },
  { name: 'NO_COLOR: no colour', left: 14 * 60 + 30, profile: 'dev', noColor: '1', expected: 'dev 14m' },
  { name: 'NO_COLOR empty: colour (no-color.org)', left: -30, profile: 'dev', noColor: '', expected: RED('dev expired') },
  { name: 'no profile name', left: 42 * 60 + 30, expected: '42m' },
  { name: 'a profile name with % and spaces', left: 14 * 60 + 30, profile: 'team %d x', expected: YELLOW('team %d x 14m') },
  { name: 'MFA_ENV_EXPIRES empty', expires: '', profile: 'dev', expected: '' },
  { name: 'MFA_ENV_EXPIRES not a number', expires: '12ab', profile: 'dev', expected: '' },
  { name: 'MFA_ENV_EXPIRES hex', expires: '0x7fffffff', profile: 'dev', expected: '' },
  { name: 'MFA_ENV_EXPIRES with 13 digits', expires: '1000000000000', profile: 'dev', expected: '' },
];

const scratch = scratchDir();
const inits: Partial<Record<TestShell, string>> = {};

beforeAll(async () => {
  for (const shell of SHELLS) inits[shell] = scratch.write(`init.${shell}`, await initScript(shell));
});
afterAll(() => scratch.cleanup());

function caseEnv(c: Case): Record<string, string> {
  const env: Record<string, string> = { HOME: scratch.dir };
  if (c.left !== undefined) env.MFA_ENV_EXPIRES = String(nowSeconds() + c.left);
  if (c.expires !== undefined) env.MFA_ENV_EXPIRES = c.expires;
  if (c.profile !== undefined) env.MFA_ENV_PROFILE = c.profile;
  if (c.noColor !== undefined) env.NO_COLOR = c.noColor;
  return env;
}

async function shellSegment(shell: TestShell, env: Record<string, string>, call = 'mfa_env_prompt') {
  const file = scratch.write(`segment-${Math.random().toString(36).slice(2)}.${shell}`, `source '${inits[shell]}'\n${call}\n`);
  const result = await runShellFile(shell, file, env);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

describe.each(CASES)('$name', (c) => {
  it.each(SHELLS)('%s: mfa_env_prompt', async (shell) => {
    expect(visibleSegment(await shellSegment(shell, caseEnv(c)))).toBe(c.expected);
  });

  it('mfa-env prompt prints the same', async () => {
    const result = await runCli(['prompt'], { PATH: process.env.PATH, ...caseEnv(c) });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(c.expected);
  });
});

describe('zero-width markers, as each prompt needs them', () => {
  const env = () => ({ HOME: scratch.dir, MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(nowSeconds() + 14 * 60 + 30) });

  it('bash: colour codes between \\001 and \\002 (what \\[ \\] become), and PS1 shows the segment', async () => {
    expect(await shellSegment('bash', env())).toBe('\u0001\u001b[33m\u0002dev 14m\u0001\u001b[0m\u0002');
    const rendered = await shellSegment('bash', env(), `PS1="$PS1"'\\$ '\neval "$PROMPT_COMMAND"\nprintf '%s' "\${PS1@P}"`);
    expect(rendered).toBe(`\u0001\u001b[33m\u0002dev 14m\u0001\u001b[0m\u0002 ${ROOT_USER ? '#' : '$'} `);
  });

  it('zsh: colour codes inside %{ %}, `%` doubled, and PROMPT shows the segment', async () => {
    expect(await shellSegment('zsh', env())).toBe('%{\u001b[33m%}dev 14m%{\u001b[0m%}');
    const percent = { ...env(), MFA_ENV_PROFILE: '50%' };
    expect(await shellSegment('zsh', percent)).toBe('%{\u001b[33m%}50%% 14m%{\u001b[0m%}');
    const rendered = await shellSegment('zsh', percent, `PROMPT="$PROMPT%# "\n__mfa_env_precmd\nprint -rn -- "\${(%)\${(e)PROMPT}}"`);
    expect(rendered).toBe(`\u001b[33m50% 14m\u001b[0m ${ROOT_USER ? '#' : '%'} `);
  });
});

describe('foreign text in MFA_ENV_EXPIRES is never evaluated', () => {
  const payloads = (marker: string) => [`$(touch ${marker})`, `a[$(touch ${marker})]`, `\`touch ${marker}\``, `1+$(touch ${marker})`];

  it.each(SHELLS)('%s', async (shell) => {
    for (const [i, payload] of payloads(join(scratch.dir, `pwned-${shell}`)).entries()) {
      // bash and zsh: also the hook's variable, which PS1/PROMPT expand.
      const call = shell === 'fish' ? 'mfa_env_prompt' : `mfa_env_prompt\n__mfa_env_${shell === 'bash' ? 'hook' : 'precmd'}\nprintf '%s' "$mfa_env_segment"`;
      const out = await shellSegment(shell, { HOME: scratch.dir, MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: payload }, call);
      expect(out, `payload ${i}`).toBe('');
    }
    expect(existsSync(join(scratch.dir, `pwned-${shell}`))).toBe(false);
  });
});

describe('processes per render (strace)', () => {
  let rows: Array<{ shell: string; forksPerRender: number | null; threadsPerRender: number | null; usPerRender: number }>;

  beforeAll(async () => {
    rows = await benchPrompt({ iterations: 60, minRenders: 60, cliRuns: 3 });
  }, 120_000);

  const row = (shell: string) => rows.find((candidate) => candidate.shell === shell)!;

  it('bash renders the segment without creating any process', () => {
    expect(row('bash').forksPerRender).toBe(0);
  });

  it('zsh renders the segment without creating any process', () => {
    expect(row('zsh').forksPerRender).toBe(0);
  });

  it('fish creates one process per render (date)', () => {
    expect(row('fish').forksPerRender).toBe(1);
  });

  it('mfa-env prompt is a process of its own per render (a Node.js start)', () => {
    expect(row('mfa-env prompt').forksPerRender).toBe(1);
    expect(row('mfa-env prompt').usPerRender).toBeGreaterThan(row('bash').usPerRender);
  });

  it('bash without a fork-free clock (bash 3.2) falls back to one `date` per render, with the same text', async () => {
    const env = { HOME: scratch.dir, MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(nowSeconds() + 42 * 60 + 30) };
    // The branch bash 3.2 takes, chosen by hand here: this bash has EPOCHSECONDS.
    expect(await shellSegment('bash', env, "__mfa_env_clock='date'\nmfa_env_prompt")).toBe('dev 42m');
    expect(await shellSegment('bash', env, "__mfa_env_clock='printf'\nmfa_env_prompt")).toBe('dev 42m');
  });
});

// Keep the CLI path referenced so a moved binary fails here first.
it('the built CLI exists', () => {
  expect(existsSync(CLI)).toBe(true);
});
