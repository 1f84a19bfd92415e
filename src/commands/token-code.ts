/**
 * The one reader of `--token-code` for every command that logs in: a code on the command line
 * (checked, with a note that `ps` shows it), or `-` for stdin (never a terminal, at most 1 KiB).
 */
import { UsageError } from '../errors.js';
import { assertCode } from '../mfa/validate.js';

/** Where the code and the note go: stdin is read only for `-` (the context's getter makes the stream on first use). */
export interface TokenCodeInput {
  context: { readonly stdin: NodeJS.ReadableStream };
  say: (message: string) => void;
}

/** More than any code plus a newline: a stream that goes on is not a code, and is not read to its end. */
const MAX_STDIN_BYTES = 1024;

/** The format-checked code, or undefined without --token-code. */
export async function readTokenCode(flag: string | undefined, input: TokenCodeInput): Promise<string | undefined> {
  if (flag === undefined) return undefined;
  if (flag === '-') {
    const code = (await readStdin(input.context.stdin)).trim();
    assertCode(code, 'read from stdin for --token-code -');
    return code;
  }
  assertCode(flag, '--token-code');
  input.say('note: a code given as --token-code is visible to other users in `ps` while mfa-env runs; `--token-code -` reads it from stdin instead.');
  return flag;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  // Reading a terminal would wait for a line the user was never asked for.
  if ((stream as NodeJS.ReadStream).isTTY) {
    throw new UsageError('--token-code - reads the code from stdin, but stdin is a terminal', 'Pipe the code in (`echo 123456 | mfa-env login --token-code -`), or leave out --token-code to be asked.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk as Buffer));
    size += chunks[chunks.length - 1]!.length;
    if (size > MAX_STDIN_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
