import { Option } from 'clipanion';
import { resolveProfileName } from '../aws/profiles.js';
import { MfaEnvCommand } from './base.js';

export class KeysMigrateCommand extends MfaEnvCommand {
  static override paths = [['keys', 'migrate']];

  static override usage = MfaEnvCommand.Usage({
    description: 'move a profile\'s access key from ~/.aws/credentials into the OS keyring',
    details: `
      Checks the keys of [PROFILE] in the credentials file with STS GetCallerIdentity, stores them in the OS keyring, reads them back, and only then removes the two lines (aws_access_key_id, aws_secret_access_key) from the file. Every other byte of the file stays as it was, and so does its mode.
    `,
    examples: [
      ['Move the keys of the default profile', '$0 keys migrate'],
      ['Move the keys of [dev]', '$0 keys migrate --profile dev'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'the section of the credentials file (default: $AWS_PROFILE, then "default")' });

  async run(): Promise<number> {
    const env = this.context.env;
    const profile = resolveProfileName(this.profile, env);
    const { migrateKeys } = await import('../keys/migrate.js');
    await migrateKeys({ profile, env, say: (message) => this.say(message) });
    return 0;
  }
}
