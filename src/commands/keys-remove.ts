import { Option } from 'clipanion';
import { resolveProfileName } from '../aws/profiles.js';
import { MfaEnvCommand } from './base.js';

export class KeysRemoveCommand extends MfaEnvCommand {
  static override paths = [['keys', 'remove']];

  static override usage = MfaEnvCommand.Usage({
    description: 'delete the profile\'s access key from the OS keyring',
    details: `
      Deletes the keyring entry (service \`mfa-env\`, account = the profile). The key itself stays active in IAM, and the credentials file is not touched: a login then uses the keys there, if any.
    `,
    examples: [['Forget the stored key of profile dev', '$0 keys remove --profile dev']],
  });

  profile = Option.String('--profile,-p', { description: 'the profile (default: $AWS_PROFILE, then "default")' });

  async run(): Promise<number> {
    const profile = resolveProfileName(this.profile, this.context.env);
    const { removeKeys } = await import('../keys/remove.js');
    await removeKeys(profile, (message) => this.say(message));
    return 0;
  }
}
