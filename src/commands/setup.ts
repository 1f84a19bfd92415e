import { Option } from 'clipanion';
import { setupProfile } from '../setup/setup.js';
import { MfaEnvCommand } from './base.js';

export class SetupCommand extends MfaEnvCommand {
  static override paths = [['setup']];

  static override usage = MfaEnvCommand.Usage({
    description: 'find your MFA device and save it as mfa_serial of a profile',
    details: `
      With the profile's long-term keys, checks who they belong to (STS GetCallerIdentity) and lists the IAM user's MFA devices (iam:ListMFADevices). One device is used as it is; with several you pick one on the terminal, or name it with \`--serial\`. The device's ARN is saved as \`mfa_serial\` in the profile's section of ~/.aws/config (\`[default]\` or \`[profile NAME]\`, created when missing); every other line of the file stays as it was.

      Progress goes to stderr; the closing instructions (how to load the shell integration and log in) go to stdout.
    `,
    examples: [
      ['Set up the default profile', '$0 setup'],
      ['Set up another profile', '$0 setup --profile work'],
      ['Pick one of several devices without a prompt', '$0 setup --serial arn:aws:iam::123456789012:mfa/alice'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'profile to set up (default: $AWS_PROFILE, then "default")' });
  serial = Option.String('--serial', { description: 'the MFA device ARN to save, when the IAM user has several' });

  async run(): Promise<number> {
    const steps = await setupProfile({ profile: this.profile, serial: this.serial, env: this.context.env, say: (message) => this.say(message) });
    this.show(steps);
    return 0;
  }
}
