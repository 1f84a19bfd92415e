/**
 * Runs the command of `mfa-env exec` as a child: the session in its environment (never in its
 * argv), signals passed on, its exit status passed back the way shells report it.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Writable, Readable } from 'node:stream';
import { sdkVariablesToStrip } from '../aws/sdk.js';
import { PROCESS_CHAIN_VARIABLE } from '../session/credential-process.js';
import { AD_HOC_ROLE_VARIABLE, CONFLICTING_VARIABLES, sessionEnvironment } from '../session/variables.js';
import type { Session } from '../session/session.js';

/** The parent's environment with the session in it and what would contradict it taken out. */
export function childEnvironment(parent: NodeJS.ProcessEnv, session: Session): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  // AWS_PROFILE would make the JS SDK ignore the keys; mfa-env's own SDK setting and login
  // chain are not the child's (an mfa-env the child runs is a new login, not a loop); an earlier
  // ad hoc role's MFA_ENV_ROLE_ARN is not this session's (sessionEnvironment sets this one's).
  for (const name of [...CONFLICTING_VARIABLES, ...sdkVariablesToStrip(), PROCESS_CHAIN_VARIABLE, AD_HOC_ROLE_VARIABLE]) delete env[name];
  return { ...env, ...sessionEnvironment(session) };
}

/**
 * Signals passed on to the child. SIGINT and SIGQUIT typed at the terminal already reach the
 * child (it is in our process group), so those two are passed on only when they did not come
 * from the terminal: a second Ctrl-C makes programs like terraform abort without cleaning up.
 */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
const TERMINAL_SIGNALS = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT']);

/**
 * True when we are in the foreground process group of our controlling terminal, i.e. a Ctrl-C
 * went to the whole group. Linux only (/proc); elsewhere we cannot tell and pass signals on.
 */
function inTerminalForeground(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state ppid pgrp session tty_nr tpgid.
    const [, , pgrp, , ttyNr, tpgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ttyNr !== '0' && pgrp === tpgid;
  } catch {
    return false;
  }
}

export interface ChildStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Our own stdio is handed over as is (a terminal stays a terminal); other streams are piped. */
function stdioFor(streams: ChildStreams): StdioOptions {
  return [
    streams.stdin === process.stdin ? 'inherit' : 'pipe',
    streams.stdout === process.stdout ? 'inherit' : 'pipe',
    streams.stderr === process.stderr ? 'inherit' : 'pipe',
  ];
}

export type ChildOutcome = { kind: 'exited'; exitCode: number } | { kind: 'not-started'; code: string };

/**
 * Passes the signals we receive on to the child. Listening starts before the spawn: a signal in
 * between must neither kill us (the child would be orphaned) nor be lost; it is held until
 * `attach` hands over the child. `stop` removes the listeners.
 */
function signalForwarder(): { attach: (child: ChildProcess) => void; stop: () => void } {
  let child: ChildProcess | undefined;
  const pending: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => {
    if (TERMINAL_SIGNALS.has(signal) && inTerminalForeground()) return;
    if (!child) {
      pending.push(signal);
      return;
    }
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return {
    attach(spawned) {
      child = spawned;
      for (const signal of pending.splice(0)) forward(signal);
    },
    stop() {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    },
  };
}

/** Runs `argv` and resolves with its exit code: its own, or 128 + n when signal n killed it. */
export function runChild(argv: string[], env: NodeJS.ProcessEnv, streams: ChildStreams): Promise<ChildOutcome> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const signals = signalForwarder();
    const child = spawn(file!, args, { env, stdio: stdioFor(streams) });
    if (child.stdin) streams.stdin.pipe(child.stdin);
    child.stdout?.pipe(streams.stdout, { end: false });
    child.stderr?.pipe(streams.stderr, { end: false });
    signals.attach(child);

    const stopForwarding = () => {
      signals.stop();
      if (child.stdin) streams.stdin.unpipe(child.stdin);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      resolve({ kind: 'not-started', code: error.code ?? 'UNKNOWN' });
    });
    // 'close', not 'exit': the child's output has been passed on by then.
    child.once('close', (code, signal) => {
      stopForwarding();
      if (code !== null) resolve({ kind: 'exited', exitCode: code });
      else resolve({ kind: 'exited', exitCode: 128 + (signal ? (constants.signals[signal] ?? 0) : 0) });
    });
  });
}
