import { createInterface } from 'node:readline';
import { MfaEnvError } from '../../errors.js';
import { AssuanReplyReader, assuanEscape, isCancelled, isTimeout, type AssuanReply } from './assuan.js';
import { PROMPT_TIMEOUT_MS, firstLine, startPromptProgram, type PromptChild } from './child.js';
import { cancelled, type PromptText } from './text.js';

/**
 * The pinentry to run: MFA_ENV_PINENTRY (a command line, split into words, never given to a
 * shell, e.g. `pinentry-tty` or `/usr/bin/pinentry-gtk-2 --timeout 60`), else `pinentry` on PATH.
 */
async function pinentryArgv(env: NodeJS.ProcessEnv): Promise<string[]> {
  const command = env.MFA_ENV_PINENTRY?.trim();
  if (!command) return ['pinentry'];
  const { parseCommandString } = await import('execa');
  return parseCommandString(command);
}

/**
 * What gpg-agent tells a pinentry about where to ask: the terminal (GPG_TTY, as gpg's own users
 * set it), its type and the locale. A pinentry for X or Wayland finds DISPLAY in its environment.
 */
function terminalOptions(env: NodeJS.ProcessEnv): string[] {
  const options: string[] = [];
  if (env.GPG_TTY) options.push(`ttyname=${env.GPG_TTY}`);
  if (env.TERM) options.push(`ttytype=${env.TERM}`);
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (locale) options.push(`lc-ctype=${locale}`);
  return options;
}

/** One conversation: send a line, await its reply. The reply lines are read from the program's stdout. */
function conversation(child: PromptChild, name: string) {
  const reader = new AssuanReplyReader();
  const lines = createInterface({ input: child.stdout });
  // Replies not yet awaited, and awaits not yet answered; `gone`: the program closed its stdout.
  const replies: AssuanReply[] = [];
  const waiting: Array<(reply: AssuanReply | undefined) => void> = [];
  let gone = false;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  lines.on('line', (line) => {
    const reply = reader.push(line);
    if (!reply) return;
    if (waiting.length) waiting.shift()!(reply);
    else replies.push(reply);
  });
  lines.on('close', () => {
    gone = true;
    waiting.splice(0).forEach((resolve) => resolve(undefined));
  });
  const reply = async (): Promise<AssuanReply> => {
    const answer = replies.length ? replies.shift() : gone ? undefined : await new Promise<AssuanReply | undefined>((resolve) => waiting.push(resolve));
    if (answer) return answer;
    const why = firstLine(stderr);
    throw new MfaEnvError(`${name} (pinentry) ended without answering${why ? `: ${why}` : ''}`, 'Run it by hand to see why; a terminal pinentry needs GPG_TTY set to the terminal it should ask on.');
  };
  const send = (line: string): Promise<AssuanReply> => {
    child.stdin!.write(`${line}\n`);
    return reply();
  };
  return { reply, send, close: () => lines.close() };
}

/** Asks a pinentry for the code over its Assuan protocol; resolves with what the user typed. */
export async function askPinentry(text: PromptText, env: NodeJS.ProcessEnv): Promise<string> {
  const argv = await pinentryArgv(env);
  const child = await startPromptProgram(argv, env, env.MFA_ENV_PINENTRY ? 'MFA_ENV_PINENTRY' : 'mfa_prompt = pinentry', true);
  // A pinentry that dies mid-conversation must not take mfa-env down with EPIPE.
  child.stdin!.on('error', () => {});
  const talk = conversation(child, argv[0]!);
  try {
    const greeting = await talk.reply();
    if (!greeting.ok) throw new MfaEnvError(`${argv[0]} (pinentry) refused to start: ${greeting.errorText ?? ''}`);
    for (const option of terminalOptions(env)) await talk.send(`OPTION ${assuanEscape(option)}`); // an unknown option is no reason to fail
    for (const line of describe(text)) await talk.send(line);
    const pin = await talk.send('GETPIN');
    if (!pin.ok) throw pinError(pin, argv[0]!);
    return pin.data;
  } finally {
    child.stdin!.end('BYE\n');
    talk.close();
  }
}

/** SETTITLE, SETDESC, SETPROMPT (and SETERROR on a second try), SETTIMEOUT. */
function describe(text: PromptText): string[] {
  const lines = [`SETTITLE ${assuanEscape(text.title)}`, `SETDESC ${assuanEscape(text.description)}`, `SETPROMPT ${assuanEscape(text.prompt)}`];
  if (text.notice) lines.push(`SETERROR ${assuanEscape(text.notice)}`);
  lines.push(`SETTIMEOUT ${Math.floor(PROMPT_TIMEOUT_MS / 1000)}`);
  return lines;
}

function pinError(reply: AssuanReply, name: string): MfaEnvError {
  if (isCancelled(reply)) return cancelled(name);
  if (isTimeout(reply)) return new MfaEnvError(`no MFA code was typed into ${name} in ${PROMPT_TIMEOUT_MS / 1000}s`);
  return new MfaEnvError(`${name} (pinentry) could not ask for the MFA code: ERR ${reply.errorCode ?? ''} ${reply.errorText ?? ''}`.trim());
}
