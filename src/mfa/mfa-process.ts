import { spawn, type ChildProcess } from 'node:child_process';
import { MfaEnvError } from '../errors.js';

/** Long enough to find and touch a hardware key; MFA_ENV_PROCESS_TIMEOUT (seconds) overrides. */
const DEFAULT_TIMEOUT_MS = 120_000;
/** After the command's own process exits, how long its stdout may stay open before we stop reading. */
const AFTER_EXIT_MS = 2_000;
/** After the first line, how long the command may take to exit on its own before its group is killed. */
const AFTER_LINE_MS = 2_000;
/** A code is 6 digits; a command that prints more than this is not printing a code. */
const MAX_OUTPUT_BYTES = 64 * 1024;

function timeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.MFA_ENV_PROCESS_TIMEOUT);
  return env.MFA_ENV_PROCESS_TIMEOUT && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS;
}

export interface MfaProcessResult {
  /** The first line of stdout (or all of it, without a line break), trimmed. */
  output: string;
  /** Why it failed (`exited with 1`, `timed out after 120s`), undefined when it worked. */
  failure?: string;
}

/**
 * Runs a profile's mfa_process (no shell) and returns its first line of output.
 *
 * It runs in a process group of its own, and we read its stdout only until the first line
 * (or end of file) with a real timeout, then kill the group: a command that prints the code
 * and leaves a background child holding stdout (`ykman … & ` in a wrapper script, an agent it
 * starts) would otherwise keep the login waiting for as long as that child lives. A Ctrl-C
 * that stops mfa-env stops the group too, since it is no longer in the terminal's.
 */
export async function runMfaProcess(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<MfaProcessResult> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const stopGroup = () => killGroup(child);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    stopGroup();
    signals.forEach((name) => process.removeListener(name, onSignal));
    process.kill(process.pid, signal);
  };
  signals.forEach((name) => process.once(name, onSignal));
  try {
    return await firstLine(child, timeoutMs(env));
  } finally {
    signals.forEach((name) => process.removeListener(name, onSignal));
    stopGroup();
    child.stdout?.destroy();
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** Waits for the first line of `child`'s stdout, its end, its exit (plus a grace) or the timeout, whichever comes first. */
function firstLine(child: ChildProcess, limitMs: number): Promise<MfaProcessResult> {
  return new Promise((resolve) => {
    let output = '';
    let exit: string | undefined | null = null;
    const timers: NodeJS.Timeout[] = [];
    const finish = (failure?: string) => {
      timers.forEach(clearTimeout);
      resolve({ output: output.split('\n')[0]!.trim(), failure });
    };
    const afterExit = () => finish(exit ?? undefined);
    timers.push(setTimeout(() => finish(`timed out after ${Math.round(limitMs / 1000)}s`), limitMs));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (output.length > MAX_OUTPUT_BYTES) finish('printed more than 64 KiB');
      else if (output.includes('\n') && exit !== null) afterExit();
      else if (output.includes('\n')) timers.push(setTimeout(() => finish(), AFTER_LINE_MS));
    });
    child.stdout!.on('end', () => (exit !== null ? afterExit() : undefined));
    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? 'was not found' : `could not start (${error.code ?? error.message})`));
    child.on('exit', (code, signal) => {
      exit = code === 0 ? undefined : code !== null ? `exited with ${code}` : `was killed by ${signal}`;
      if (output.includes('\n') || child.stdout!.readableEnded) afterExit();
      else timers.push(setTimeout(afterExit, AFTER_EXIT_MS));
    });
  });
}
