/** iam:CreateAccessKey and iam:DeleteAccessKey for `keys rotate`, signed with the MFA session. */
import { quietSdk, requestHandlerOptions } from '../aws/sdk.js';
import { MfaEnvError } from '../errors.js';
import { redact } from '../secrets.js';
import type { StsTarget } from '../aws/sts.js';
import type { LongTermKeys } from '../keyring/index.js';

async function iamClient(target: StsTarget) {
  quietSdk();
  const { IAMClient } = await import('@aws-sdk/client-iam');
  return new IAMClient({ region: target.region, profile: target.configProfile, credentials: target.credentials, maxAttempts: 1, requestHandler: requestHandlerOptions(target.env) });
}

export async function createAccessKey(target: StsTarget, userName: string): Promise<LongTermKeys> {
  const client = await iamClient(target);
  const { CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  try {
    const answer = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = answer.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('IAM answered CreateAccessKey without a key');
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  } catch (error) {
    throw iamError(error, 'CreateAccessKey', target);
  } finally {
    client.destroy();
  }
}

export async function deleteAccessKey(target: StsTarget, userName: string, accessKeyId: string): Promise<void> {
  const client = await iamClient(target);
  const { DeleteAccessKeyCommand } = await import('@aws-sdk/client-iam');
  try {
    await client.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
  } catch (error) {
    throw iamError(error, 'DeleteAccessKey', target);
  } finally {
    client.destroy();
  }
}

/** IAM's answer without any secret it may echo, and the fix for the two refusals users meet. */
function iamError(error: unknown, operation: string, target: StsTarget): MfaEnvError {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = redact(error instanceof Error ? error.message : String(error), [target.credentials.secretAccessKey, target.credentials.sessionToken]);
  const hint =
    name === 'LimitExceeded' || name === 'LimitExceededException'
      ? 'An IAM user has at most two access keys: delete the unused one (`aws iam list-access-keys`, `aws iam delete-access-key`), then rotate again.'
      : name === 'AccessDenied' || name === 'AccessDeniedException'
        ? `The MFA session may not call iam:${operation} on your own user; ask for iam:*AccessKey* on arn:aws:iam::*:user/\${aws:username} to your IAM user.`
        : undefined;
  return new MfaEnvError(`IAM ${operation} failed: ${name}: ${message}`, hint);
}
