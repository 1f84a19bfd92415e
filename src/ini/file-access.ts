import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { filesystemFault, MfaEnvError } from '../errors.js';

/**
 * Before the SDK's loader reads an AWS file: the loader takes a file it cannot read (no
 * permission on ~/.aws, a directory, a FIFO) for an empty one, and the user would be told that
 * the profile does not exist. A missing file is fine (nobody needs both).
 */
export function assertAwsFileReadable(path: string, variable: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE'): void {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    const fault = filesystemFault(error, `read ${path}`);
    if (!fault) throw error;
    throw new MfaEnvError(fault.message, `${fault.hint} Or point ${variable} at a file you can read.`);
  }
  try {
    const stat = fstatSync(fd);
    // /dev/null is how people switch a file off; a directory or a FIFO is a mistake.
    if (!stat.isFile() && !stat.isCharacterDevice()) {
      throw new MfaEnvError(`cannot read ${path}: it is not a regular file`, `Point ${variable} at the AWS file, or replace ${path} with one.`);
    }
  } finally {
    closeSync(fd);
  }
}
