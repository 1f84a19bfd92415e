import { MfaEnvError } from '../errors.js';
import { redact } from '../secrets.js';
import type { AwsFiles, ProfileSettings } from './profiles.js';
import type { CredentialSource, FirstCredentials } from './role-hops.js';
import { quietSdk } from './sdk.js';
import type { AwsCredentials } from './sts.js';

/**
 * The long-term credentials of `profile`, resolved by the SDK's own ini provider: static keys,
 * credential_process, SSO. Only the files: never AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN from the
 * environment, which may hold the very session we are replacing.
 */
export async function resolveSourceCredentials(profile: string, files: AwsFiles, region?: string): Promise<AwsCredentials> {
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
      // A region for the STS client a web identity profile needs: without one the SDK prints
      // its "default STS region" warning on stderr.
      clientConfig: { region: region ?? 'us-east-1' },
    })();
    return plain(credentials);
  } catch (error) {
    throw sourceError(profile, files, error);
  }
}

function plain(credentials: AwsCredentials): AwsCredentials {
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
}

/** The SDK's message, masked, with the fix that fits: `aws sso login` for SSO, keys otherwise. */
function sourceError(profile: string, files: AwsFiles, error: unknown): MfaEnvError {
  const message = redact(error instanceof Error ? error.message : String(error), []);
  if (/\bsso\b/i.test(message) || (error instanceof Error && /sso/i.test(error.name))) {
    return new MfaEnvError(
      `the SSO credentials of profile "${profile}" are not available: ${message}`,
      `Run \`aws sso login --profile ${profile}\`, then try again.`,
    );
  }
  if (/credential_process|process/i.test(message)) {
    return new MfaEnvError(`the credential_process of profile "${profile}" failed: ${message}`, `Run the credential_process command of [${profile}] by hand to see why it fails.`);
  }
  return new MfaEnvError(
    `cannot read the long-term credentials of profile "${profile}": ${message}`,
    `Add aws_access_key_id and aws_secret_access_key to [${profile}] in ${files.credentialsFile} (\`aws configure --profile ${profile}\`).`,
  );
}

/**
 * The credentials the first hop of a resolved profile starts from (role-chain.ts): static keys
 * read from the loaded profile (the loader lower-cased their names), credential_process / SSO /
 * web identity through fromIni, credential_source through the SDK's own providers.
 */
export async function resolveFirstCredentials(
  first: FirstCredentials,
  profiles: Record<string, ProfileSettings | undefined>,
  files: AwsFiles,
  region?: string,
): Promise<AwsCredentials> {
  if (first.kind === 'credential-source') return resolveCredentialSource(first.source, first.profile);
  if (first.kind !== 'static') return resolveSourceCredentials(first.profile, files, region);
  const stored = await keyringFirst(first.profile);
  if (stored) return stored;
  const settings = profiles[first.profile] ?? {};
  const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = settings;
  if (!accessKeyId || !secretAccessKey) {
    const what = accessKeyId ? 'aws_access_key_id but no aws_secret_access_key' : secretAccessKey ? 'aws_secret_access_key but no aws_access_key_id' : 'no long-term keys';
    throw new MfaEnvError(
      `profile "${first.profile}" has ${what}`,
      `Write both keys into [${first.profile}] in ${files.credentialsFile} (\`aws configure --profile ${first.profile}\`).`,
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: settings.aws_session_token ?? settings.aws_security_token };
}

/**
 * KEYRING HOOK: the long-term keys of `profile` from the OS keyring, before the files. main's
 * src/keyring (branch keys) landed after this branch started; on merging, make the body
 * `return (await import('../keyring/index.js')).keyringCredentials(profile);` as main's
 * resolveSourceCredentials does.
 */
async function keyringFirst(profile: string): Promise<AwsCredentials | undefined> {
  // Loaded here only: the native module stays off every path that needs no long-term keys.
  return (await import('../keyring/index.js')).keyringCredentials(profile);
}

/**
 * `credential_source`, as the SDKs resolve it. Environment is the ONE case where mfa-env reads
 * AWS_ACCESS_KEY_ID from the environment: the profile asks for it. IMDS honours
 * AWS_EC2_METADATA_SERVICE_ENDPOINT; the container endpoint AWS_CONTAINER_CREDENTIALS_FULL_URI /
 * _RELATIVE_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE).
 */
export async function resolveCredentialSource(source: CredentialSource, profile: string): Promise<AwsCredentials> {
  quietSdk();
  try {
    if (source === 'Environment') {
      const { fromEnv } = await import('@aws-sdk/credential-provider-env');
      return plain(await fromEnv()());
    }
    if (source === 'Ec2InstanceMetadata') {
      const { fromInstanceMetadata } = await import('@smithy/credential-provider-imds');
      return plain(await fromInstanceMetadata({ timeout: 2000, maxRetries: 1 })());
    }
    const { fromHttp } = await import('@aws-sdk/credential-provider-http');
    return plain(await fromHttp({ timeout: 2000, maxRetries: 1 })());
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), []);
    throw new MfaEnvError(`credential_source = ${source} of profile "${profile}" gave no credentials: ${message}`, CREDENTIAL_SOURCE_HINTS[source]);
  }
}

const CREDENTIAL_SOURCE_HINTS: Record<CredentialSource, string> = {
  Environment: 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use source_profile instead.',
  Ec2InstanceMetadata: 'This works on an EC2 instance with an instance profile (or with AWS_EC2_METADATA_SERVICE_ENDPOINT pointing at a metadata service).',
  EcsContainer: 'This works in a container with AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI set (ECS, EKS Pod Identity, exec --server).',
};
