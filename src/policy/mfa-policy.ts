/**
 * The IAM policy that makes MFA mandatory for an IAM user: everything is denied until the
 * caller has signed in with MFA, except what it takes to set up a device and get an MFA
 * session. Built on AWS's documented examples "Allows MFA-authenticated IAM users to manage
 * their own MFA device on the Security credentials page" and "Allows IAM users to
 * self-manage an MFA device" (IAM User Guide, example policies).
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface MfaPolicyOptions {
  /** Also deny MFA sessions older than this many seconds (aws:MultiFactorAuthAge). */
  maxAgeSeconds?: number;
  /** Limit the deny to these services' actions (`s3` → `s3:*`) instead of everything. */
  services?: string[];
  /** Add the Allow statements that let users set up and manage their own MFA device. */
  selfService?: boolean;
}

/**
 * What stays allowed without MFA: what a user needs to set up a device and to sign in with it.
 * iam:ChangePassword and iam:GetAccountPasswordPolicy: a console user whose password must be
 * reset first can do so (the console shows the password rules). iam:DeleteVirtualMFADevice:
 * an abandoned setup leaves a virtual device that blocks creating it again; only a device not
 * assigned to anyone can be deleted, and deactivating one (iam:DeactivateMFADevice) stays
 * denied without MFA. sts:GetSessionToken: how the CLI and SDKs get the MFA session at all.
 */
export const MFA_SELF_SERVICE_ACTIONS = [
  'iam:ChangePassword',
  'iam:CreateVirtualMFADevice',
  'iam:DeleteVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetAccountPasswordPolicy',
  'iam:GetMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
];

const OWN_USER = 'arn:aws:iam::*:user/${aws:username}';
const OWN_VIRTUAL_DEVICE = 'arn:aws:iam::*:mfa/${aws:username}';

/** The Allow statements of `--self-service`: each user manages only their own device. */
function selfServiceStatements(): PolicyStatement[] {
  return [
    {
      // These actions take no resource ARN, hence "*".
      Sid: 'AllowViewAccountInfo',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      Resource: '*',
    },
    {
      Sid: 'AllowManageOwnVirtualMFADevice',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
      Resource: OWN_VIRTUAL_DEVICE,
    },
    {
      Sid: 'AllowManageOwnUserMFA',
      Effect: 'Allow',
      Action: ['iam:ChangePassword', 'iam:EnableMFADevice', 'iam:GetMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      Resource: OWN_USER,
    },
    {
      // Taking MFA off needs MFA: stolen keys alone cannot remove the device that guards them.
      Sid: 'AllowDeactivateOwnMFAOnlyWithMFA',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice'],
      Resource: OWN_USER,
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ];
}

/** `{Action: "s3:*"}` for one service, a list for several, NotAction (everything else) for none. */
function denyScope(services: string[] | undefined): Pick<PolicyStatement, 'Action' | 'NotAction'> {
  if (!services?.length) return { NotAction: [...MFA_SELF_SERVICE_ACTIONS] };
  const actions = services.map((service) => `${service}:*`);
  return { Action: actions.length === 1 ? actions[0]! : actions };
}

export function buildMfaPolicy(options: MfaPolicyOptions = {}): PolicyDocument {
  const scope = denyScope(options.services);
  const statements: PolicyStatement[] = options.selfService ? selfServiceStatements() : [];
  statements.push({
    // BoolIfExists, not Bool: requests signed with long-term keys carry no
    // aws:MultiFactorAuthPresent at all, and must be denied too.
    Sid: options.services?.length ? 'DenyServiceUnlessSignedInWithMFA' : 'DenyAllExceptListedIfNoMFA',
    Effect: 'Deny',
    ...scope,
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  });
  if (options.maxAgeSeconds !== undefined) {
    statements.push({
      // IfExists: a request without the key (long-term keys) is denied here as well.
      Sid: 'DenyIfMFAOlderThanMaxAge',
      Effect: 'Deny',
      ...denyScope(options.services),
      Resource: '*',
      Condition: { NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': String(options.maxAgeSeconds) } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** The document as printed: 4-space indent, like AWS's examples, and a final newline. */
export function formatPolicy(document: PolicyDocument): string {
  return `${JSON.stringify(document, null, 4)}\n`;
}
