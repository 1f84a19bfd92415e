import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { MfaEnvError } from '../errors.js';
import { visibleText } from '../stdio.js';

/** Thrown when there is no controlling terminal to ask on (cron, CI, an IDE). */
export class NoTerminalError extends MfaEnvError {}

/**
 * Asks a question on the controlling terminal (/dev/tty), not on stdin/stdout: inside
 * `eval "$(mfa-env login)"` stdout is captured by the shell, but /dev/tty is still the user.
 * The terminal stays in cooked mode, so the kernel does the line editing and Ctrl-C works.
 */
export async function askOnTerminal(question: string, noTerminalHint: string): Promise<string> {
  let readFd: number;
  let writeFd: number;
  try {
    readFd = openSync('/dev/tty', 'r');
    writeFd = openSync('/dev/tty', 'w');
  } catch {
    throw new NoTerminalError('no terminal to ask for the MFA code on', noTerminalHint);
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  const lines = createInterface({ input, terminal: false });
  try {
    // The question names the profile, whose name comes from the AWS files.
    output.write(visibleText(question));
    const answer = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      lines.once('close', () => reject(new MfaEnvError('no MFA code was typed (end of input)')));
    });
    return answer.trim();
  } finally {
    lines.close();
    input.destroy();
    output.destroy();
  }
}

/** Whether the controlling terminal can be opened: not under setsid, in an IDE, in cron. */
export function terminalAvailable(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** A line on the terminal (messages that belong next to the prompt); silent when there is none. */
export function tellTerminal(message: string): boolean {
  try {
    const fd = openSync('/dev/tty', 'w');
    const output = new WriteStream(fd);
    output.write(visibleText(message));
    output.destroy();
    return true;
  } catch {
    return false;
  }
}
