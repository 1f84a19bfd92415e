import { Option } from 'clipanion';
import { parseMaxAge, parseServices } from '../policy/flags.js';
import { buildMfaPolicy, formatPolicy } from '../policy/mfa-policy.js';
import { MfaEnvCommand } from './base.js';

export class PolicyCommand extends MfaEnvCommand {
  static override paths = [['policy']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print the IAM policy that denies everything but MFA self-service until the caller signs in with MFA',
    details: `
      Prints an IAM policy document (JSON) to stdout. Attached to your IAM users (or their group), it denies every action unless the request was made with MFA, except the actions a user needs to set up an MFA device and to call \`sts:GetSessionToken\` with it, which is what \`mfa-env login\` does. With long-term access keys alone, nothing else works.

      \`--max-age\` also denies MFA sessions older than the given duration (\`aws:MultiFactorAuthAge\`). \`--service\` limits the deny to one service's actions (repeat it for several), e.g. only S3 needs MFA. \`--self-service\` adds the Allow statements that let each user create, enable and resync their own device (resources \`\${aws:username}\`); without it, grant those permissions some other way.
    `,
    examples: [
      ['Print the policy', '$0 policy'],
      ['Create it as a managed policy', 'aws iam create-policy --policy-name RequireMFA --policy-document "$($0 policy --self-service)"'],
      ['Also refuse MFA sessions older than 8 hours', '$0 policy --max-age 8h'],
      ['Require MFA for S3 only', '$0 policy --service s3'],
    ],
  });

  maxAge = Option.String('--max-age', {
    description: 'also deny MFA sessions older than this: 3600, 90m, 8h, 1h30m (aws:MultiFactorAuthAge)',
  });
  services = Option.Array('--service', {
    description: 'deny only this service\'s actions without MFA, e.g. s3 (repeatable; default: everything but MFA self-service)',
  });
  selfService = Option.Boolean('--self-service', false, {
    description: 'add the Allow statements that let users manage their own MFA device',
  });

  async run(): Promise<number> {
    // Every flag is checked before anything is printed: a half-printed policy is worse than none.
    const document = buildMfaPolicy({
      maxAgeSeconds: this.maxAge === undefined ? undefined : parseMaxAge(this.maxAge),
      services: this.services === undefined ? undefined : parseServices(this.services),
      selfService: this.selfService,
    });
    this.context.stdout.write(formatPolicy(document));
    return 0;
  }
}
