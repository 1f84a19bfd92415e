import { Option } from 'clipanion';
import { MfaEnvCommand } from './base.js';

export class ListCommand extends MfaEnvCommand {
  static override paths = [['list']];

  static override usage = MfaEnvCommand.Usage({
    description: 'list every profile: flow, MFA device, source, region, where its keys are, cached session',
    details: `
      Reads ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) with the SDK's loader and resolves each profile as login would: GetSessionToken, one role, or a chain of roles; the MFA device and the profile it comes from; where the first credentials come from; the region; which file holds the long-term keys; and the cached session's time left. No key, secret or token is printed.

      \`--json\` prints an array of objects whose fields are listed in the README.
    `,
    examples: [
      ['List the profiles', '$0 list'],
      ['For scripts', '$0 list --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'print a JSON array (fields in the README) instead of lines' });

  async run(): Promise<number> {
    const { listProfiles } = await import('../list/report.js');
    const entries = await listProfiles(this.context.env);
    if (this.json) {
      this.printJson(entries);
    } else {
      const { formatList } = await import('../list/format.js');
      this.show(formatList(entries));
    }
    return 0;
  }
}
