import { UsageError } from '../errors.js';
import { MfaEnvCommand } from './base.js';

/** `mfa-env keys` alone (and `keys --help`): what the keys commands are. */
export class KeysCommand extends MfaEnvCommand {
  static override paths = [['keys']];

  static override usage = MfaEnvCommand.Usage({
    description: 'long-term access keys in the OS keyring: add, list, remove, migrate, rotate',
    details: `
      IAM users' long-term keys kept in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) instead of ~/.aws/credentials. A login looks in the keyring first, then the files. See \`mfa-env keys add --help\` and the others.
    `,
    examples: [
      ['Move the keys of the default profile out of ~/.aws/credentials', '$0 keys migrate'],
      ['Where every profile\'s keys are', '$0 keys list'],
    ],
  });

  async run(): Promise<number> {
    throw new UsageError('`mfa-env keys` needs a subcommand: add, list, remove, migrate or rotate', 'See `mfa-env keys --help`.');
  }
}
