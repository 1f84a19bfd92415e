/**
 * The only module that imports @aws-sdk/client-sts, always lazily, so a login served from the
 * cache never loads the SDK.
 */
import { quietSdk, requestHandlerOptions } from './sdk.js';
import { codeNeverSent, explainStsError, type StsCallContext } from './sts-errors.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface StsTarget {
  /** Profile whose config supplies endpoint_url and friends (the SDK's own resolution). */
  configProfile: string;
  region: string;
  credentials: AwsCredentials;
  env: NodeJS.ProcessEnv;
}

async function stsClient(target: StsTarget) {
  quietSdk();
  const { STSClient } = await import('@aws-sdk/client-sts');
  return new STSClient({
    region: target.region,
    profile: target.configProfile,
    credentials: target.credentials,
    // Never retry: a retried call would resend an MFA code, which AWS refuses as reused.
    maxAttempts: 1,
    requestHandler: requestHandlerOptions(target.env),
  });
}

/** Temporary credentials as STS handed them out, with the assumed role's ARN for AssumeRole. */
export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO-8601 UTC with `Z`, without milliseconds. */
  expiration: string;
  assumedRoleArn?: string;
}

/** The two calls that hand out session credentials; `serial`/`code` are omitted for role chaining. */
export type SessionCall =
  | { operation: 'GetSessionToken'; serial: string; code: string; durationSeconds: number }
  | {
      operation: 'AssumeRole';
      roleArn: string;
      sessionName: string;
      externalId?: string;
      serial?: string;
      code?: string;
      /** undefined: none sent, STS's default (1 h), as botocore does for a hop without duration_seconds. */
      durationSeconds?: number;
    };

/** Names for the error messages: the profile logged in with, and the one whose keys sign. */
export interface CallNames {
  profile: string;
  credentialsProfile: string;
}

function toCredentials(
  answer: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date }; AssumedRoleUser?: { Arn?: string } },
): StsCredentials {
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error('STS answered without complete credentials');
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    assumedRoleArn: answer.AssumedRoleUser?.Arn,
  };
}

async function sessionCommand(call: SessionCall) {
  const { AssumeRoleCommand, GetSessionTokenCommand } = await import('@aws-sdk/client-sts');
  if (call.operation === 'GetSessionToken') {
    return new GetSessionTokenCommand({ SerialNumber: call.serial, TokenCode: call.code, DurationSeconds: call.durationSeconds });
  }
  return new AssumeRoleCommand({
    RoleArn: call.roleArn,
    RoleSessionName: call.sessionName,
    ExternalId: call.externalId,
    SerialNumber: call.serial,
    TokenCode: call.code,
    DurationSeconds: call.durationSeconds,
  });
}

const NEVER_SENT = Symbol('requestNeverSent');

/**
 * The one helper for GetSessionToken and AssumeRole: one attempt (a retry would resend the
 * code), an explained error with every secret masked. The error thrown answers
 * requestNeverSent(): whether the request provably never left this machine, so whoever
 * recorded the code as spent can take that back.
 */
export async function requestSessionCredentials(target: StsTarget, call: SessionCall, names: CallNames): Promise<StsCredentials> {
  const client = await stsClient(target);
  const command = await sessionCommand(call);
  try {
    // One call site for both commands: both answers carry Credentials (AssumeRole also AssumedRoleUser).
    return toCredentials((await client.send(command as Parameters<typeof client.send>[0])) as Parameters<typeof toCredentials>[0]);
  } catch (error) {
    const explained = explainStsError(error, {
      ...names,
      operation: call.operation,
      serial: call.serial,
      roleArn: call.operation === 'AssumeRole' ? call.roleArn : undefined,
      durationSeconds: call.durationSeconds,
      secrets: [call.code, target.credentials.secretAccessKey, target.credentials.sessionToken],
    });
    throw Object.assign(explained, { [NEVER_SENT]: codeNeverSent(error) });
  } finally {
    client.destroy();
  }
}

/** True for an error of requestSessionCredentials whose request never left this machine (DNS, refused). */
export function requestNeverSent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [NEVER_SENT]?: boolean })[NEVER_SENT] === true;
}

export interface CallerIdentity {
  account?: string;
  arn?: string;
  userId?: string;
}

export async function getCallerIdentity(target: StsTarget, profile: string): Promise<CallerIdentity> {
  const client = await stsClient(target);
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}));
    return { account: answer.Account, arn: answer.Arn, userId: answer.UserId };
  } catch (error) {
    throw explainStsError(error, {
      operation: 'GetCallerIdentity',
      profile,
      secrets: [target.credentials.secretAccessKey, target.credentials.sessionToken],
    });
  } finally {
    client.destroy();
  }
}
