import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { MfaEnvError } from '../../errors.js';

/** How long a person has to answer a prompt program before it is closed. */
export const PROMPT_TIMEOUT_MS = 120_000;

export type PromptChild = ChildProcessByStdio<Writable | null, Readable, Readable>;

/**
 * Starts `argv` directly, never through a shell, with `env`. No secret is ever in `argv`: the
 * code only comes back on the program's stdout. Resolves once the program runs; a program
 * that cannot be started (not installed, not executable) is an error that names it and `setting`.
 * The program is killed after PROMPT_TIMEOUT_MS or when mfa-env exits.
 */
export async function startPromptProgram(argv: string[], env: NodeJS.ProcessEnv, setting: string, withStdin: boolean): Promise<PromptChild> {
  const [file, ...args] = argv;
  if (!file) throw new MfaEnvError(`${setting} names no program`);
  const child = spawn(file, args, { env, stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], shell: false }) as PromptChild;
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'is not installed (not found on PATH)' : `could not be started (${error.code ?? error.message})`;
      reject(new MfaEnvError(`${file}, the MFA code prompt of ${setting}, ${why}`, `Install it, or choose another with mfa_prompt in the profile or MFA_ENV_PROMPT (pinentry, zenity, kdialog, osascript), or set mfa_process.`));
    });
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), PROMPT_TIMEOUT_MS);
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('close', () => {
    clearTimeout(timer);
    process.removeListener('exit', killOnExit);
  });
  return child;
}

export interface Finished {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Waits for a started program to end, with everything it printed. */
export async function finished(child: PromptChild): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr })));
}

/** The first line a program wrote to stderr, for an error message (its own words, shortened). */
export function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
