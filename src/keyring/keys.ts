/**
 * A profile's long-term access key in the OS keyring: one entry per profile (service
 * "mfa-env", account = the profile name) whose value is one JSON object, so the id and the
 * secret are always written and replaced together (a rotate never leaves a new id with an old
 * secret).
 */
import { MfaEnvError } from '../errors.js';
import { deleteEntry, KeyringUnavailableError, listAccounts, readEntry, writeEntry } from './backend.js';

export { KeyringUnavailableError } from './backend.js';

export interface LongTermKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

interface StoredValue {
  aws_access_key_id: string;
  aws_secret_access_key: string;
}

function parseValue(profile: string, text: string): LongTermKeys {
  let value: Partial<StoredValue> | undefined;
  try {
    value = JSON.parse(text) as Partial<StoredValue>;
  } catch {
    value = undefined;
  }
  if (typeof value?.aws_access_key_id !== 'string' || typeof value.aws_secret_access_key !== 'string') {
    throw new MfaEnvError(
      `the OS keyring entry of profile "${profile}" (service mfa-env) is not one mfa-env wrote`,
      `Replace it: \`mfa-env keys remove --profile ${profile}\`, then \`mfa-env keys add --profile ${profile}\`.`,
    );
  }
  return { accessKeyId: value.aws_access_key_id, secretAccessKey: value.aws_secret_access_key };
}

/** The keys stored for `profile`, undefined when the keyring has none. Throws when the keyring cannot be used. */
export function readKeyringKeys(profile: string): LongTermKeys | undefined {
  const text = readEntry(profile);
  return text === undefined ? undefined : parseValue(profile, text);
}

export function storeKeyringKeys(profile: string, keys: LongTermKeys): void {
  const value: StoredValue = { aws_access_key_id: keys.accessKeyId, aws_secret_access_key: keys.secretAccessKey };
  writeEntry(profile, JSON.stringify(value));
}

/** True when an entry was there and is gone. */
export function removeKeyringKeys(profile: string): boolean {
  return deleteEntry(profile);
}

/** The profiles that have keys in the keyring, sorted. */
export function keyringProfiles(): string[] {
  return listAccounts();
}

/** MFA_ENV_KEYRING=off: never look in the keyring (and never load its native module). */
export function keyringDisabled(env: NodeJS.ProcessEnv): boolean {
  return /^(off|0|false|no)$/i.test(env.MFA_ENV_KEYRING ?? '');
}

/**
 * "Keyring first, then the files": the keys of `profile` when the keyring holds them, else
 * undefined, also when this machine has no usable keyring (a headless box keeps its keys in
 * the credentials file, and a login must go on there). A keyring entry that cannot be read
 * as keys is an error: falling through to the files would sign with keys the user replaced.
 */
export async function keyringCredentials(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<LongTermKeys | undefined> {
  if (keyringDisabled(env)) return undefined;
  try {
    return readKeyringKeys(profile);
  } catch (error) {
    if (error instanceof KeyringUnavailableError) return undefined;
    throw error;
  }
}
