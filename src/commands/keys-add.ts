import { Option } from 'clipanion';
import { resolveProfileName } from '../aws/profiles.js';
import { MfaEnvCommand } from './base.js';

export class KeysAddCommand extends MfaEnvCommand {
  static override paths = [['keys', 'add']];

  static override usage = MfaEnvCommand.Usage({
    description: 'store an IAM user\'s access key in the OS keyring, after checking it',
    details: `
      Asks for the access key id and the secret on the terminal (the secret is not shown), or reads them as two lines from stdin when stdin is not a terminal. The key is checked with STS GetCallerIdentity and stored in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) under service \`mfa-env\`, account = the profile. From then on every login of the profile signs with it; the keyring wins over ~/.aws/credentials.

      Without a Secret Service (a headless Linux box) it fails before asking anything, and stores nothing.
    `,
    examples: [
      ['Store the keys of the default profile', '$0 keys add'],
      ['From a password manager, without the terminal', 'pass show aws/dev | $0 keys add --profile dev'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'the profile the keys belong to (default: $AWS_PROFILE, then "default")' });

  async run(): Promise<number> {
    const env = this.context.env;
    const profile = resolveProfileName(this.profile, env);
    const { addKeys } = await import('../keys/add.js');
    const input = await import('../keys/input.js');
    const stdin = this.context.stdin as NodeJS.ReadStream;
    await addKeys({
      profile,
      env,
      readKeys: () => (stdin.isTTY ? input.askKeysOnTerminal(profile) : input.readKeysFromStdin(stdin)),
      say: (message) => this.say(message),
    });
    return 0;
  }
}
