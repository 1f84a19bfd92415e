import { assertProfileName } from '../aws/profiles.js';
import { MfaEnvError } from '../errors.js';

/** `keys remove`: deletes the keyring entry of `profile` (the key stays active in IAM). */
export async function removeKeys(profile: string, say: (message: string) => void): Promise<void> {
  assertProfileName(profile);
  const keyring = await import('../keyring/index.js');
  if (!keyring.removeKeyringKeys(profile)) {
    throw new MfaEnvError(`the OS keyring holds no keys for profile "${profile}"`, 'See which profiles have keys where: `mfa-env keys list`.');
  }
  say(`removed the keys of profile "${profile}" from the OS keyring (the key itself is still active in IAM: \`aws iam delete-access-key\` retires it)`);
}
