/**
 * Where the long-term keys of the profile that signs the login are: the OS keyring (where a
 * login looks first) or the credentials file, where backups and dotfile repos copy them.
 */
import type { ProfileSettings } from '../aws/profiles.js';
import { maskKey } from '../secrets.js';
import { pass, warn, type CheckResult } from './check.js';

export async function checkKeysLocation(keysProfile: string, profiles: Record<string, ProfileSettings>, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const id = 'keys-location';
  const inFile = profiles[keysProfile]?.aws_secret_access_key !== undefined;
  const keyring = await import('../keyring/index.js');
  if (keyring.keyringDisabled(env)) {
    return inFile ? pass(id, `the keys of profile "${keysProfile}" are in the files (MFA_ENV_KEYRING=off)`) : pass(id, 'the OS keyring is off (MFA_ENV_KEYRING=off)');
  }
  try {
    const stored = keyring.readKeyringKeys(keysProfile);
    if (stored) {
      // A login signs with the keyring's; the copy in the file is only a secret lying around.
      return inFile
        ? warn(id, `profile "${keysProfile}" has keys in the OS keyring (${maskKey(stored.accessKeyId)}) and in the files; the file's are not used`, `delete aws_access_key_id and aws_secret_access_key of [${keysProfile}] from the credentials file`)
        : pass(id, `the keys of profile "${keysProfile}" (${maskKey(stored.accessKeyId)}) are in the OS keyring`);
    }
  } catch {
    // Why there is none is `mfa-env keys list`'s to say; here it only means: the file it is.
    return inFile ? pass(id, `the keys of profile "${keysProfile}" are in the credentials file (no usable OS keyring here)`) : pass(id, 'no usable OS keyring here');
  }
  return inFile
    ? // A pass: a 0600 file is a supported place; the hint is there for those who want better.
      pass(id, `the secret key of profile "${keysProfile}" is in the credentials file, where backups and dotfile repos copy it; hint: \`mfa-env keys migrate --profile ${keysProfile}\` moves it into the OS keyring`)
    : pass(id, `profile "${keysProfile}" has no keys in the OS keyring or the files (see long-term-keys)`);
}

/**
 * The long-term-keys line when the keyring holds the keys: the file-based check would report
 * "no aws_access_key_id" for a profile whose keys were migrated. Undefined otherwise.
 */
export async function keyringLongTermKeys(keysProfile: string, env: NodeJS.ProcessEnv): Promise<CheckResult | undefined> {
  const { keyringCredentials } = await import('../keyring/index.js');
  const stored = await keyringCredentials(keysProfile, env).catch(() => undefined);
  return stored ? pass('long-term-keys', `long-term key ${maskKey(stored.accessKeyId)} of profile "${keysProfile}" in the OS keyring`) : undefined;
}
