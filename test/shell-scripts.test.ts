/**
 * The scripts `mfa-env init bash|zsh|fish` prints: they load cleanly in strict mode without rc
 * files, pass the linters, register their hooks once however often they are sourced, keep `$?`
 * and the user's prompt, and hold the binary path quoted for their shell.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/sandbox.js';
import { initScript, nowSeconds, runShellFile, scratchDir, SHELLS, type TestShell } from './helpers/shell-integration.js';

const scratch = scratchDir();
const scripts: Record<string, string> = {};
const files: Record<string, string> = {};
const VARIANTS = [
  { name: 'default', args: [] },
  { name: 'no-prompt', args: ['--no-prompt'] },
] as const;

beforeAll(async () => {
  for (const shell of SHELLS) {
    for (const variant of VARIANTS) {
      const key = `${shell}-${variant.name}`;
      scripts[key] = await initScript(shell, [...variant.args]);
      files[key] = scratch.write(`init-${key}.${shell}`, scripts[key]!);
    }
  }
});
afterAll(() => scratch.cleanup());

/** Runs `body` after sourcing the init script twice (strict mode, no rc files). */
async function afterSourcingTwice(shell: TestShell, body: string, options: { variant?: string; before?: string; env?: Record<string, string> } = {}) {
  const init = files[`${shell}-${options.variant ?? 'default'}`]!;
  const source = `source '${init}'`;
  const file = scratch.write(`probe-${Math.random().toString(36).slice(2)}.${shell}`, `${options.before ?? ''}\n${source}\n${source}\n${body}\n`);
  return runShellFile(shell, file, { HOME: scratch.dir, ...options.env });
}

describe('the template files', () => {
  it.each(SHELLS)('shell/mfa-env.%s holds the binary placeholder exactly once and marks its prompt part', (shell) => {
    const template = readFileSync(join(ROOT, 'shell', `mfa-env.${shell}`), 'utf8');
    expect(template.split('::MFA_ENV_BIN::')).toHaveLength(2);
    expect(template).toMatch(/^# mfa-env:prompt:begin\b[^\n]*\n[\s\S]*^# mfa-env:prompt:end\n/m);
  });
});

describe.each(SHELLS)('%s', (shell) => {
  it.each(VARIANTS.map((variant) => variant.name))('init %s: sourced twice in strict mode without rc files, exit 0 and stderr empty', async (variant) => {
    const result = await afterSourcingTwice(shell, shell === 'fish' ? 'functions -q mfa-env mfa_env_prompt; and echo loaded' : 'echo loaded', { variant });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('loaded\n');
  });

  it('the printed script names the binary by its absolute, quoted path and has no placeholder left', () => {
    const script = scripts[`${shell}-default`]!;
    expect(script).not.toContain('::MFA_ENV_BIN::');
    expect(script).toContain(`'${join(ROOT, 'bin', 'mfa-env.js')}'`);
  });

  it('--no-prompt prints the same script without the prompt part', () => {
    const full = scripts[`${shell}-default`]!;
    const bare = scripts[`${shell}-no-prompt`]!;
    expect(full).toContain('# mfa-env:prompt:begin');
    expect(bare).not.toContain('mfa-env:prompt:');
    expect(full.replace(/^# mfa-env:prompt:begin[\s\S]*?^# mfa-env:prompt:end\n/m, '')).toBe(bare);
  });

  it('other subcommands run unchanged through the wrapper (stdout and exit code)', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await afterSourcingTwice(shell, 'mfa-env --version');
    expect(result.stdout.trim()).toBe(pkg.version);
    const usage = await afterSourcingTwice(shell, shell === 'fish' ? 'mfa-env init nosuchshell; echo "status=$status"' : 'mfa-env init nosuchshell || echo "status=$?"');
    expect(usage.stdout).toBe('status=2\n');
    expect(usage.stderr).toContain('no shell integration for "nosuchshell"');
  });
});

describe('linters', () => {
  it.each(VARIANTS.map((variant) => variant.name))('shellcheck passes on the bash script (%s)', async (variant) => {
    const result = await execa('shellcheck', ['--shell=bash', '--severity=style', files[`bash-${variant}`]!], { reject: false });
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it.each(VARIANTS.map((variant) => variant.name))('bash -n, zsh -n and fish -n accept the scripts (%s)', async (variant) => {
    for (const shell of SHELLS) {
      const result = await execa(shell, ['-n', files[`${shell}-${variant}`]!], { reject: false });
      expect(result.stderr, shell).toBe('');
      expect(result.exitCode, shell).toBe(0);
    }
  });

  it.each(VARIANTS.map((variant) => variant.name))('fish_indent --check: the fish script is formatted as fish formats it (%s)', async (variant) => {
    const result = await execa('fish_indent', ['--check', files[`fish-${variant}`]!], { reject: false });
    expect(result.exitCode).toBe(0);
  });
});

describe('bash hooks', () => {
  it('PROMPT_COMMAND unset: the hook once, the segment once in front of PS1', async () => {
    const result = await afterSourcingTwice('bash', `printf '%s|' "$PROMPT_COMMAND" "$PS1"`, { before: `PS1='\\u@\\h \\$ '` });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('__mfa_env_hook|${mfa_env_segment:+$mfa_env_segment }\\u@\\h \\$ |');
  });

  it('PROMPT_COMMAND a string ending in `;`: the hook is added on its own line, once', async () => {
    const result = await afterSourcingTwice('bash', `printf '%s' "$PROMPT_COMMAND"`, { before: `PROMPT_COMMAND='history -a;'` });
    expect(result.stdout).toBe('history -a;\n__mfa_env_hook');
  });

  it('PROMPT_COMMAND an array (bash 5.1+): the hook is one more element, once', async () => {
    const result = await afterSourcingTwice('bash', `printf '<%s>' "\${PROMPT_COMMAND[@]}"`, { before: `PROMPT_COMMAND=('history -a' 'echo hi')` });
    expect(result.stdout).toBe('<history -a><echo hi><__mfa_env_hook>');
  });

  it('the hook keeps $? for PS1, and running PROMPT_COMMAND fills the segment', async () => {
    const expires = nowSeconds() + 3600 + 5 * 60 + 30;
    const result = await afterSourcingTwice('bash', `set +e\n(exit 7)\neval "$PROMPT_COMMAND"\necho "status=$? segment=$mfa_env_segment"`, {
      env: { MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(expires) },
    });
    expect(result.stdout).toBe('status=7 segment=dev 1h05m\n');
  });

  it('--no-prompt: PS1 untouched, the hook still fills $mfa_env_segment', async () => {
    const result = await afterSourcingTwice('bash', `printf '%s|' "$PS1" "$PROMPT_COMMAND"`, { variant: 'no-prompt', before: `PS1='my prompt '` });
    expect(result.stdout).toBe('my prompt |__mfa_env_hook|');
  });
});

describe('zsh hooks', () => {
  it('precmd once, the segment once in front of PROMPT, prompt_subst on', async () => {
    const result = await afterSourcingTwice('zsh', `print -rn -- "\${(j:,:)precmd_functions}|$PROMPT|"; [[ -o prompt_subst ]] && print -n subst`, { before: `PROMPT='%n@%m %# '` });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('__mfa_env_precmd|${mfa_env_segment:+$mfa_env_segment }%n@%m %# |subst');
  });

  it('a precmd function the user added before stays, and runs', async () => {
    const result = await afterSourcingTwice('zsh', `print -rn -- "\${(j:,:)precmd_functions}"`, { before: `autoload -Uz add-zsh-hook; mine() { :; }; add-zsh-hook precmd mine` });
    expect(result.stdout).toBe('mine,__mfa_env_precmd');
  });

  it('the hook keeps $? for PROMPT and for the precmd functions after it (an interactive zsh)', async () => {
    const expires = nowSeconds() + 42 * 60 + 30;
    const init = files['zsh-default']!;
    // zsh hands each precmd function the status from before the hooks: the hook need not return it.
    const input = [`source '${init}'`, `PROMPT="[%?]> $PROMPT"`, 'after() { print -r -- "after=$? segment=$mfa_env_segment" }', 'precmd_functions+=(after)', '(exit 7)', 'exit'].join('\n');
    const result = await execa('zsh', ['-f', '-i'], { input, reject: false, env: { PATH: process.env.PATH, HOME: scratch.dir, TERM: 'dumb', MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(expires) }, extendEnv: false });
    expect(result.stdout).toMatch(/^after=7 segment=dev 42m$/m);
    expect(result.stderr).toContain('[7]> dev 42m ');
  });

  it('--no-prompt: PROMPT untouched and prompt_subst left as it was', async () => {
    const result = await afterSourcingTwice('zsh', `print -rn -- "$PROMPT|"; [[ -o prompt_subst ]] && print -n subst || print -n nosubst`, { variant: 'no-prompt', before: `PROMPT='my prompt '` });
    expect(result.stdout).toBe('my prompt |nosubst');
  });
});

describe('fish prompt', () => {
  it('wraps an existing fish_right_prompt once: it still sees $status, then the segment', async () => {
    const expires = nowSeconds() + 3600 + 5 * 60 + 30;
    const result = await afterSourcingTwice('fish', `false\nfish_right_prompt`, {
      before: `function fish_right_prompt; printf 'user:%s' $status; end`,
      env: { MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(expires) },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('user:1 dev 1h05m');
  });

  it('without a fish_right_prompt: one that prints the segment', async () => {
    const expires = nowSeconds() + 42 * 60 + 30;
    const result = await afterSourcingTwice('fish', 'fish_right_prompt', { env: { MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(expires) } });
    expect(result.stdout).toBe('dev 42m');
  });

  it('--no-prompt: fish_right_prompt untouched', async () => {
    const result = await afterSourcingTwice('fish', 'fish_right_prompt', {
      variant: 'no-prompt',
      before: `function fish_right_prompt; printf mine; end`,
      env: { MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(nowSeconds() + 3600) },
    });
    expect(result.stdout).toBe('mine');
  });

  it('a user function named `date` does not change the clock (command date)', async () => {
    const expires = nowSeconds() + 42 * 60 + 30;
    const result = await afterSourcingTwice('fish', 'mfa_env_prompt', {
      before: 'function date; echo 0; end',
      env: { MFA_ENV_PROFILE: 'dev', MFA_ENV_EXPIRES: String(expires) },
    });
    expect(result.stdout).toBe('dev 42m');
  });
});

describe('the binary path is quoted for each shell', () => {
  // A path no shell may split, expand or run: quotes, a backslash at the end, $(…), a newline.
  const hostile = "/tmp/it's a \"dir\" $(touch pwned) `x`\n/mfa-env\\";

  it.each(SHELLS)('%s reads back exactly the path it was given', async (shell) => {
    const { renderScript, readScript } = await import(join(ROOT, 'dist', 'integration', 'scripts.js'));
    const { resolveShell } = await import(join(ROOT, 'dist', 'shells', 'index.js'));
    const record = resolveShell(shell);
    const script = renderScript(readScript(record), { shell: record, binary: hostile, prompt: true }) as string;
    const file = scratch.write(`hostile.${shell}`, `${script}\nprintf '%s' "$__mfa_env_bin"\n`);
    const result = await runShellFile(shell, file, { HOME: scratch.dir }, { strict: false });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(hostile);
  });
});
