/**
 * The access key id and secret for `keys add`: asked on the terminal (/dev/tty, the secret
 * without echo), or two lines from stdin when stdin is not a terminal (a password manager's
 * CLI piped in). Never from argv, where `ps` shows them to every user.
 */
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { MfaEnvError, UsageError } from '../errors.js';
import type { LongTermKeys } from '../keyring/index.js';

const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{16,128}$/;

/** Format checks before any network call: an id of a session (ASIA…) or a typo never reaches STS. */
export function assertLongTermKeys(keys: LongTermKeys, where: string): void {
  if (keys.accessKeyId.startsWith('ASIA')) {
    throw new UsageError(`the access key id ${where} is a session key (ASIA…), not an IAM user's long-term key`, 'Give the long-term key (AKIA…) from the IAM console or `aws iam create-access-key`.');
  }
  if (!ACCESS_KEY_ID.test(keys.accessKeyId)) {
    throw new UsageError(`the access key id ${where} is not one (AKIA followed by 16 capital letters or digits)`, 'Copy it again from the IAM console or the CSV file AWS gave you.');
  }
  if (!SECRET_ACCESS_KEY.test(keys.secretAccessKey)) {
    throw new UsageError(`the secret access key ${where} is not one (40 letters, digits and / + =)`, 'Copy it again from the CSV file AWS gave you; the id goes on the first line, the secret on the second.');
  }
}

export async function readKeysFromStdin(stdin: NodeJS.ReadableStream): Promise<LongTermKeys> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    chunks.push(Buffer.from(chunk as Buffer));
    size += chunks[chunks.length - 1]!.length;
    if (size > 4096) break;
  }
  const [accessKeyId = '', secretAccessKey = ''] = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const keys = { accessKeyId, secretAccessKey };
  assertLongTermKeys(keys, 'read from stdin');
  return keys;
}

/** One line typed on the terminal; with `hidden`, in raw mode with no echo (Ctrl-C aborts). */
async function askLine(question: string, hidden: boolean): Promise<string> {
  let input: ReadStream;
  let output: WriteStream;
  try {
    input = new ReadStream(openSync('/dev/tty', 'r'));
    output = new WriteStream(openSync('/dev/tty', 'w'));
  } catch {
    throw new MfaEnvError('no terminal to ask for the access key on', 'Pipe the access key id and the secret in as two lines: `printf \'%s\\n%s\\n\' "$ID" "$SECRET" | mfa-env keys add`.');
  }
  output.write(question);
  input.setRawMode(hidden);
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      input.on('data', (data: Buffer) => {
        for (const char of data.toString('utf8')) {
          if (char === '\u0003') return reject(new MfaEnvError('cancelled'));
          if (char === '\r' || char === '\n') return resolve(typed.trim());
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
          else typed += char;
        }
      });
      input.once('end', () => reject(new MfaEnvError('no access key was typed (end of input)')));
    });
  } finally {
    if (hidden) output.write('\n');
    input.setRawMode(false);
    input.destroy();
    output.destroy();
  }
}

export async function askKeysOnTerminal(profile: string): Promise<LongTermKeys> {
  const accessKeyId = await askLine(`Access key id for profile ${profile}: `, false);
  const secretAccessKey = await askLine('Secret access key (not shown): ', true);
  const keys = { accessKeyId, secretAccessKey };
  assertLongTermKeys(keys, 'typed');
  return keys;
}
