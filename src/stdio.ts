import { writeSync } from 'node:fs';
import type { BaseContext } from 'clipanion';
import { OutputClosedError } from './errors.js';

/** All I/O goes through the context, so tests can pass their own streams and environment. */
export interface MfaEnvContext extends BaseContext {
  env: NodeJS.ProcessEnv;
}

/**
 * The process's own stdio, without creating its streams until something needs one.
 *
 * process.stdout, .stderr and .stdin are streams Node builds on first use: for a pipe or a
 * terminal that loads net, tty and the stream machinery, ~5 ms of a start that is ~25 ms in
 * all. mfa-env's hot commands (login, clear, status, prompt…) print a few hundred bytes with
 * `out()`/`say()` (src/commands/base.ts), which write to the file descriptor directly while
 * no stream exists. Everything else (exec's child, `--token-code -`, help) gets the real
 * stream from the context's getters; from then on writes go through it, so nothing overtakes
 * what the stream still holds. The bundle's clipanion keeps the getters lazy
 * (scripts/bundle/clipanion.mjs).
 */
const PROCESS_STDIO = Symbol.for('mfa-env.process-stdio');

interface StreamsMade {
  stdout: boolean;
  stderr: boolean;
}

type ProcessContext = MfaEnvContext & { [PROCESS_STDIO]?: StreamsMade };

export function processContext(): MfaEnvContext {
  const made: StreamsMade = { stdout: false, stderr: false };
  const context: ProcessContext = {
    env: process.env,
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      made.stdout = true;
      return quietWhenClosed(process.stdout);
    },
    get stderr() {
      made.stderr = true;
      return quietWhenClosed(process.stderr);
    },
    // Help goes to stdout: colour only on a terminal, and never with NO_COLOR (https://no-color.org).
    get colorDepth() {
      made.stdout = true;
      return process.stdout.isTTY && !process.env.NO_COLOR ? process.stdout.getColorDepth() : 1;
    },
    [PROCESS_STDIO]: made,
  };
  return context;
}

/**
 * Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts
 * the sequences that retitle or clear a terminal, CR overwrites a line), DEL, C1 controls
 * (U+009B is CSI on some terminals), and the bidirectional overrides that reorder what is shown.
 */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` as it may reach a terminal: every control character written visibly (`\x1b`,
 * `\u202e`), tab and newline kept. Names and values from the AWS files, the environment and
 * STS answers reach our messages; none of them may drive the user's terminal.
 */
export function visibleText(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * Writes `text` to the context's stdout or stderr: to the file descriptor while it has no stream.
 * stderr is always for a person, so it always goes through visibleText; stdout carries shell
 * code and JSON, which are quoted for their reader and must stay byte for byte.
 */
export function writeTo(context: MfaEnvContext, stream: 'stdout' | 'stderr', text: string): void {
  if (stream === 'stderr') text = visibleText(text);
  const made = (context as ProcessContext)[PROCESS_STDIO];
  if (!made || made[stream]) {
    context[stream].write(text);
    return;
  }
  const buffer = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < buffer.length) written += writeSync(stream === 'stdout' ? 1 : 2, buffer, written);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The reader went away (`mfa-env list | head -1`, a closed terminal): nothing more to write.
    if (code === 'EPIPE') closed(stream);
    // A non-blocking descriptor that is full: the stream waits for it.
    else if (code !== 'EAGAIN') throw error;
    else context[stream].write(buffer.subarray(written));
  }
}

/** stdout closed: stop, exit 1 with nothing said (as Unix tools do). stderr closed: nobody to tell. */
function closed(stream: 'stdout' | 'stderr'): void {
  if (stream === 'stdout') throw new OutputClosedError('stdout was closed by its reader');
}

/** The same for the streams: an EPIPE they report later must not end in a stack trace. */
function quietWhenClosed<T extends NodeJS.WriteStream>(stream: T): T {
  if (stream.listenerCount('error') === 0) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exitCode = process.exitCode || 1;
    });
  }
  return stream;
}
