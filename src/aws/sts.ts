/**
 * The only module that imports @aws-sdk/client-sts, always lazily, so a login served from the
 * cache never loads the SDK.
 */
import type { Session } from '../session/session.js';
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

function toSession(
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  base: Pick<Session, 'profile' | 'kind' | 'region' | 'identityArn'>,
): Session {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
    throw new Error('STS answered without complete credentials');
  }
  return {
    ...base,
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * The code was recorded as spent before the call; when the request provably never left this
 * machine (DNS failure, connection refused), AWS never saw it, so the user may send it again.
 */
async function unspendCode(error: unknown, serial: string | undefined, code: string | undefined): Promise<void> {
  if (!serial || !code || !codeNeverSent(error)) return;
  const { forgetCodeUse } = await import('../mfa/reuse.js');
  try {
    await forgetCodeUse(serial, code);
  } catch {
    // best effort: at worst the user waits for the next code
  }
}

export interface GetSessionTokenRequest {
  profile: string;
  credentialsProfile: string;
  serial: string;
  code: string;
  durationSeconds: number;
  region?: string;
}

export async function getSessionToken(target: StsTarget, request: GetSessionTokenRequest): Promise<Session> {
  const client = await stsClient(target);
  const { GetSessionTokenCommand } = await import('@aws-sdk/client-sts');
  const context: StsCallContext = {
    operation: 'GetSessionToken',
    profile: request.profile,
    credentialsProfile: request.credentialsProfile,
    serial: request.serial,
    durationSeconds: request.durationSeconds,
    secrets: [request.code, target.credentials.secretAccessKey, target.credentials.sessionToken],
  };
  try {
    const answer = await client.send(
      new GetSessionTokenCommand({
        SerialNumber: request.serial,
        TokenCode: request.code,
        DurationSeconds: request.durationSeconds,
      }),
    );
    return toSession(answer.Credentials, { profile: request.profile, kind: 'session', region: request.region });
  } catch (error) {
    await unspendCode(error, request.serial, request.code);
    throw explainStsError(error, context);
  } finally {
    client.destroy();
  }
}

export interface AssumeRoleRequest {
  profile: string;
  credentialsProfile: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  /** Omitted when the caller's credentials are already an MFA session (role chaining). */
  serial?: string;
  code?: string;
  durationSeconds: number;
  region?: string;
}

export async function assumeRole(target: StsTarget, request: AssumeRoleRequest): Promise<Session> {
  const client = await stsClient(target);
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const context: StsCallContext = {
    operation: 'AssumeRole',
    profile: request.profile,
    credentialsProfile: request.credentialsProfile,
    serial: request.serial,
    roleArn: request.roleArn,
    durationSeconds: request.durationSeconds,
    secrets: [request.code, target.credentials.secretAccessKey, target.credentials.sessionToken],
  };
  try {
    const answer = await client.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        ExternalId: request.externalId,
        SerialNumber: request.serial,
        TokenCode: request.code,
        DurationSeconds: request.durationSeconds,
      }),
    );
    return toSession(answer.Credentials, {
      profile: request.profile,
      kind: 'role',
      region: request.region,
      identityArn: answer.AssumedRoleUser?.Arn,
    });
  } catch (error) {
    await unspendCode(error, request.serial, request.code);
    throw explainStsError(error, context);
  } finally {
    client.destroy();
  }
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
