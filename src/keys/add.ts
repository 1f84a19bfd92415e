import { assertProfileName } from '../aws/profiles.js';
import type { LongTermKeys } from '../keyring/index.js';
import { describeIdentity, verifyKeys } from './verify.js';

export interface AddKeysOptions {
  profile: string;
  env: NodeJS.ProcessEnv;
  /** The keys, from the terminal or stdin (already format-checked). */
  readKeys: () => Promise<LongTermKeys>;
  say: (message: string) => void;
}

/**
 * `keys add`: the keyring is checked to be usable before anything is asked (a headless box
 * fails before the user types a secret), the keys are checked with GetCallerIdentity, then
 * stored. A failed check stores nothing.
 */
export async function addKeys(options: AddKeysOptions): Promise<void> {
  assertProfileName(options.profile);
  const keyring = await import('../keyring/index.js');
  const previous = keyring.readKeyringKeys(options.profile);
  const keys = await options.readKeys();
  const identity = await verifyKeys(options.profile, keys, options.env);
  keyring.storeKeyringKeys(options.profile, keys);
  const replaced = previous && previous.accessKeyId !== keys.accessKeyId ? `, replacing ${describeIdentity(previous, {})}` : '';
  options.say(`stored the keys of profile "${options.profile}" in the OS keyring: ${describeIdentity(keys, identity)}${replaced}`);
}
