import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, makeSandbox } from './helpers/sandbox.js';

const COMMANDS = ['login', 'clear', 'init', 'prompt', 'status', 'exec', 'credential-process', 'setup', 'doctor', 'policy', 'list', 'console', 'keys add', 'keys list', 'keys remove', 'keys migrate', 'keys rotate'];
const ESC = '\u001b[';

describe('help', () => {
  const sandbox = makeSandbox();

  for (const command of COMMANDS) {
    it(`${command} --help: a description and examples, on stdout, exit 0`, async () => {
      const result = await sandbox.run([...command.split(' '), '--help']);
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`\\$ mfa-env ${command}`));
      expect(result.stdout).toMatch(/^Examples$/m);
      expect(result.stdout).not.toContain(ESC);
    });
  }

  it('mfa-env alone and --help list every command; --version prints the version', async () => {
    for (const args of [[], ['--help'], ['-h']]) {
      const result = await sandbox.run(args);
      expect(result.exitCode).toBe(0);
      for (const command of COMMANDS) expect(result.stdout).toContain(`mfa-env ${command}`);
      expect(result.stdout).not.toContain('__complete');
    }
    const version = await sandbox.run(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a mistyped command: suggestions on stderr without hidden commands, exit 2, stdout empty', async () => {
    const result = await sandbox.run(['logn']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/did you mean one of:\n\n  0\. mfa-env login/);
    expect(result.stderr).not.toContain('__complete');
    const numbers = [...result.stderr.matchAll(/^\s*(\d+)\. mfa-env/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i));
  });

  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const onTerminal = (env: Record<string, string>) =>
      execa('script', ['-qec', `${process.execPath} ${CLI} --help`, '/dev/null'], { env: { ...sandbox.env, TERM: 'xterm-256color', ...env }, extendEnv: false });
    expect(String((await onTerminal({})).stdout)).toContain(ESC);
    expect(String((await onTerminal({ NO_COLOR: '1' })).stdout)).not.toContain(ESC);
    const piped = await sandbox.run(['--help'], { env: { TERM: 'xterm-256color' } });
    expect(piped.stdout).not.toContain(ESC);
  });
});
