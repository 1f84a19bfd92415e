import { UsageError } from '../errors.js';

/**
 * The login flags that change the session itself (--region, --role-arn, --session-name,
 * --external-id), checked against what STS accepts before the cache and any network call.
 */
export interface SessionFlags {
  region?: string;
  roleArn?: string;
  sessionName?: string;
  externalId?: string;
}

// data table: what STS and the AWS partitions accept (AssumeRole API reference; region names).
const CHECKS: Record<keyof SessionFlags, { flag: string; pattern: RegExp; hint: string }> = {
  region: {
    flag: '--region',
    pattern: /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/,
    hint: 'A region name looks like eu-west-1, us-east-2 or ap-southeast-2.',
  },
  roleArn: {
    flag: '--role-arn',
    pattern: /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
    hint: 'A role ARN looks like arn:aws:iam::123456789012:role/admin (a path may come before the name).',
  },
  sessionName: {
    flag: '--session-name',
    pattern: /^[\w+=,.@-]{2,64}$/,
    hint: 'A role session name is 2 to 64 characters of letters, digits and + = , . @ _ -.',
  },
  externalId: {
    flag: '--external-id',
    pattern: /^[\w+=,.@:/-]{2,1224}$/,
    hint: 'An external id is 2 to 1224 characters of letters, digits and + = , . @ : / _ -.',
  },
};

/** Throws a UsageError naming the first flag whose value STS would refuse. */
export function checkSessionFlags(flags: SessionFlags): void {
  for (const name of Object.keys(CHECKS) as Array<keyof SessionFlags>) {
    const value = flags[name];
    const check = CHECKS[name];
    if (value !== undefined && !check.pattern.test(value)) {
      throw new UsageError(`invalid ${check.flag} ${JSON.stringify(value)}`, check.hint);
    }
  }
}

/** --session-name and --external-id name an AssumeRole parameter: a GetSessionToken profile has none. */
export function refuseRoleFlagsForSession(profile: string, flags: SessionFlags): void {
  const flag = flags.sessionName !== undefined ? '--session-name' : flags.externalId !== undefined ? '--external-id' : undefined;
  if (flag === undefined) return;
  throw new UsageError(
    `${flag} is for roles, and profile "${profile}" makes a GetSessionToken session (it has no role_arn)`,
    `Use a role profile, or add --role-arn ARN to assume a role with profile "${profile}" as its source.`,
  );
}
