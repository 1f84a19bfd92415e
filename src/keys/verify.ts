/** Proof that a pair of keys works before it is stored anywhere: STS GetCallerIdentity. */
import { awsFiles, loadAllProfiles } from '../aws/profiles.js';
import type { CallerIdentity, StsTarget } from '../aws/sts.js';
import type { LongTermKeys } from '../keyring/index.js';
import { maskKey } from '../secrets.js';

/** Where `profile`'s calls go: its endpoint_url and region as the SDK resolves them. */
export async function targetFor(profile: string, credentials: StsTarget['credentials'], env: NodeJS.ProcessEnv): Promise<StsTarget> {
  let region: string | undefined;
  try {
    region = (await loadAllProfiles(awsFiles(env)))[profile]?.region;
  } catch {
    // A file the loader cannot read is reported by the commands that need it.
  }
  return { configProfile: profile, region: region || env.AWS_REGION || 'us-east-1', credentials, env };
}

/** The identity the keys belong to; an explained error (never holding the secret) when STS refuses them. */
export async function verifyKeys(profile: string, keys: LongTermKeys, env: NodeJS.ProcessEnv): Promise<CallerIdentity> {
  const { getCallerIdentity } = await import('../aws/sts.js');
  return getCallerIdentity(await targetFor(profile, keys, env), profile);
}

export function describeIdentity(keys: LongTermKeys, identity: CallerIdentity): string {
  return `${maskKey(keys.accessKeyId)} (${identity.arn ?? 'unknown identity'}${identity.account ? ` in account ${identity.account}` : ''})`;
}
