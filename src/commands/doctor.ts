import { Option } from 'clipanion';
import { runDoctor } from '../doctor/run.js';
import { MfaEnvCommand } from './base.js';

export class DoctorCommand extends MfaEnvCommand {
  static override paths = [['doctor']];

  static override usage = MfaEnvCommand.Usage({
    description: 'check files, permissions, environment, cache and clock; one pass/warn/fail line each',
    details: `
      Checks, one line each with the fix for a warn or fail: the AWS config and credentials files and their modes; the profile (exists, its flow), its mfa_serial and its long-term keys; profiles whose credential_process runs mfa-env in a loop; AWS_PROFILE next to exported keys; session variables that another tool set or changed; the shell integration (MFA_ENV_SHELL); the cache dir's mode and owner; the Node.js version; and this computer's clock against the Date header of an STS answer (warn beyond 60 s, fail beyond 5 minutes: signatures and MFA codes both fail on a skewed clock).

      Nothing is changed and no credentials are sent: the clock check is an unsigned request that STS refuses. Exit code 1 when any check fails.
    `,
    examples: [
      ['Check the default profile', '$0 doctor'],
      ['Check profile dev', '$0 doctor --profile dev'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'the profile to check (default: $AWS_PROFILE, the current session\'s, then "default")' });

  async run(): Promise<number> {
    const report = await runDoctor(this.profile, this.context.env);
    this.show(report.text);
    return report.failed ? 1 : 0;
  }
}
