import { Option } from 'clipanion';
import { MfaEnvCommand } from './base.js';

export class KeysListCommand extends MfaEnvCommand {
  static override paths = [['keys', 'list']];

  static override usage = MfaEnvCommand.Usage({
    description: 'the profiles with long-term keys, and where: the OS keyring or the credentials file',
    details: `
      One line per profile and place, with the access key id masked (AKIA…WXYZ); secrets are never shown. A profile with keys in both places signs with the keyring's. Without a usable keyring the file's keys are still listed, and a note on stderr says why the keyring was not.
    `,
    examples: [
      ['List', '$0 keys list'],
      ['As JSON', '$0 keys list --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'print JSON: {"keys":[{"profile","where","accessKeyId","path"?}],"keyringError"?}' });

  async run(): Promise<number> {
    const { listKeys } = await import('../keys/list.js');
    const listing = await listKeys(this.context.env);
    if (this.json) {
      this.out(`${JSON.stringify(listing, null, 2)}\n`);
      return 0;
    }
    if (listing.keyringError) this.say(`the OS keyring was not listed: ${listing.keyringError}`);
    if (listing.keys.length === 0) this.say('no profile has long-term keys in the OS keyring or the credentials file');
    const width = Math.max(7, ...listing.keys.map((key) => key.profile.length));
    for (const key of listing.keys) {
      this.out(`${key.profile.padEnd(width)}  ${key.accessKeyId}  ${key.where === 'keyring' ? 'OS keyring' : key.path}\n`);
    }
    return 0;
  }
}
