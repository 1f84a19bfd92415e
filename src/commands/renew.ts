import { Option } from 'clipanion';
import { UsageError } from '../errors.js';
import { renewInBackground } from '../integration/renew.js';
import { MfaEnvCommand } from './base.js';

/** Hidden: what the prompt hook runs in the background, with its output sent to /dev/null. */
export class RenewCommand extends MfaEnvCommand {
  static override paths = [['__renew']];

  profile = Option.String('--profile', { required: true });
  after = Option.String('--after', { required: true });

  async run(): Promise<number> {
    if (!/^[0-9]{1,12}$/.test(this.after)) throw new UsageError('--after takes epoch seconds', 'Pass MFA_ENV_EXPIRES.');
    await renewInBackground(this.profile, Number(this.after), this.context.env);
    return 0;
  }
}
