import { MfaEnvError } from '../errors.js';
import { redact } from '../secrets.js';
import type { AwsFiles } from './profiles.js';
import { quietSdk } from './sdk.js';
import type { AwsCredentials } from './sts.js';

/**
 * The long-term credentials of `profile`, resolved by the SDK's own ini provider: static keys,
 * credential_process, SSO. Only the files: never AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN from the
 * environment, which may hold the very session we are replacing.
 */
export async function resolveSourceCredentials(profile: string, files: AwsFiles): Promise<AwsCredentials> {
  // The OS keyring first (mfa-env keys): undefined when it has no entry or there is no keyring.
  const stored = await (await import('../keyring/index.js')).keyringCredentials(profile);
  if (stored) return stored;
  quietSdk();
  const { fromIni } = await import('@aws-sdk/credential-provider-ini');
  try {
    const credentials = await fromIni({
      profile,
      filepath: files.credentialsFile,
      configFilepath: files.configFile,
      ignoreCache: true,
    })();
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    };
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), []);
    throw new MfaEnvError(
      `cannot read the long-term credentials of profile "${profile}": ${message}`,
      `Add aws_access_key_id and aws_secret_access_key to [${profile}] in ${files.credentialsFile} (\`aws configure --profile ${profile}\`).`,
    );
  }
}
