import { assertProfileName } from '../aws/profiles.js';
import type { StsTarget } from '../aws/sts.js';
import { MfaEnvError } from '../errors.js';
import type { LongTermKeys } from '../keyring/index.js';
import { maskKey } from '../secrets.js';
import { targetFor, verifyKeys } from './verify.js';

export interface RotateOptions {
  profile: string;
  env: NodeJS.ProcessEnv;
  say: (message: string) => void;
  /** Time a new key gets to become usable (IAM is eventually consistent): ms. */
  settleMs?: number;
}

/** A step of the rotation failed: which one, and that the stored key still works. */
function stepFailed(step: string, error: unknown, kept: string): MfaEnvError {
  const { message, hint } = error as { message?: string; hint?: string };
  return new MfaEnvError(`keys rotate failed at ${step}: ${message ?? String(error)}; ${kept}`, hint);
}

/** The IAM user's name from an ARN such as arn:aws:iam::123456789012:user/path/alice. */
function userNameOf(arn: string | undefined, profile: string): string {
  const match = /:user\/(?:.*\/)?([^/]+)$/.exec(arn ?? '');
  if (!match) throw new MfaEnvError(`the keys of profile "${profile}" belong to ${arn ?? 'an unknown identity'}, not an IAM user`, 'Only an IAM user\'s access keys can be rotated.');
  return match[1]!;
}

/** GetCallerIdentity with the new key until IAM has spread it (a new key can be refused for a few seconds). */
async function verifyNewKey(profile: string, keys: LongTermKeys, env: NodeJS.ProcessEnv, settleMs: number): Promise<void> {
  const deadline = Date.now() + settleMs;
  for (let wait = 500; ; wait = Math.min(wait * 2, 4000)) {
    try {
      await verifyKeys(profile, keys, env);
      return;
    } catch (error) {
      if (Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The MFA session that signs the IAM calls: mfa-env's own login flow for `profile`. */
async function mfaSession(options: RotateOptions): Promise<StsTarget> {
  const { login } = await import('../session/login.js');
  const result = await login({ profile: options.profile, env: options.env, say: options.say });
  if (result.session.kind !== 'session' || result.plan.credentialsProfile !== options.profile) {
    throw new MfaEnvError(`profile "${options.profile}" logs in with ${result.session.kind === 'role' ? 'a role' : `the keys of profile "${result.plan.credentialsProfile}"`}, not with its own keys`, 'Rotate the profile whose keys are in the keyring: `mfa-env keys list`.');
  }
  const { accessKeyId, secretAccessKey, sessionToken } = result.session;
  return targetFor(options.profile, { accessKeyId, secretAccessKey, sessionToken }, options.env);
}

/**
 * `keys rotate`: CreateAccessKey signed with the MFA session, GetCallerIdentity with the new
 * key, store it, DeleteAccessKey of the old one. Until the new key is stored the old one stays
 * stored (a new key that fails is deleted again); after, the new one is, and a failed delete
 * only leaves the old key active in IAM.
 */
export async function rotateKeys(options: RotateOptions): Promise<void> {
  const { profile, env, say } = options;
  assertProfileName(profile);
  const keyring = await import('../keyring/index.js');
  const old = keyring.readKeyringKeys(profile);
  if (!old) throw new MfaEnvError(`the OS keyring holds no keys for profile "${profile}"`, `Move them there first: \`mfa-env keys migrate --profile ${profile}\` (or \`keys add\`).`);
  const oldKept = `the stored key ${maskKey(old.accessKeyId)} is unchanged and still works`;
  const session = await mfaSession(options);
  const { getCallerIdentity } = await import('../aws/sts.js');
  const iam = await import('./iam-keys.js');
  let userName: string;
  let fresh: LongTermKeys;
  try {
    userName = userNameOf((await getCallerIdentity(session, profile)).arn, profile);
    fresh = await iam.createAccessKey(session, userName);
  } catch (error) {
    throw stepFailed('step 1 of 4 (CreateAccessKey)', error, oldKept);
  }
  try {
    await verifyNewKey(profile, fresh, env, options.settleMs ?? 20_000);
  } catch (error) {
    await iam.deleteAccessKey(session, userName, fresh.accessKeyId).catch(() => {});
    throw stepFailed(`step 2 of 4 (GetCallerIdentity with the new key ${maskKey(fresh.accessKeyId)}, now deleted again)`, error, oldKept);
  }
  try {
    keyring.storeKeyringKeys(profile, fresh);
  } catch (error) {
    await iam.deleteAccessKey(session, userName, fresh.accessKeyId).catch(() => {});
    throw stepFailed('step 3 of 4 (storing the new key in the OS keyring)', error, oldKept);
  }
  try {
    await iam.deleteAccessKey(session, userName, old.accessKeyId);
  } catch (error) {
    const kept = `the new key ${maskKey(fresh.accessKeyId)} is stored and works, but the old key ${maskKey(old.accessKeyId)} is still active: \`aws iam delete-access-key --user-name ${userName} --access-key-id ${old.accessKeyId}\``;
    throw stepFailed('step 4 of 4 (DeleteAccessKey of the old key)', error, kept);
  }
  say(`rotated the key of profile "${profile}": ${maskKey(old.accessKeyId)} is deleted in IAM, ${maskKey(fresh.accessKeyId)} is stored in the OS keyring`);
}
