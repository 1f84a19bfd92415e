import { Option } from 'clipanion';
import { resolveProfileName } from '../aws/profiles.js';
import { MfaEnvCommand } from './base.js';

export class KeysRotateCommand extends MfaEnvCommand {
  static override paths = [['keys', 'rotate']];

  static override usage = MfaEnvCommand.Usage({
    description: 'replace the profile\'s access key with a new one (IAM), keeping a working key stored at every step',
    details: `
      Logs in (the cached MFA session, or a new one: the code is asked as for \`login\`), because MFA-enforcing policies allow iam:CreateAccessKey only with MFA. Then: 1. CreateAccessKey, 2. GetCallerIdentity with the new key, 3. store it in the OS keyring, 4. DeleteAccessKey of the old key. A failure names its step; until step 3 the old key stays stored (a new key that failed is deleted again), after it the new one is.

      The key must be in the keyring (\`keys add\` or \`keys migrate\` first). An IAM user has at most two keys, so a user with two must delete one first.
    `,
    examples: [['Rotate the key of profile dev', '$0 keys rotate --profile dev']],
  });

  profile = Option.String('--profile,-p', { description: 'the profile whose key is rotated (default: $AWS_PROFILE, then "default")' });

  async run(): Promise<number> {
    const env = this.context.env;
    const profile = resolveProfileName(this.profile, env);
    const { rotateKeys } = await import('../keys/rotate.js');
    await rotateKeys({ profile, env, say: (message) => this.say(message) });
    return 0;
  }
}
