/** The OS keyring backend (layer 2). Import it with `await import()`: it loads a native addon on first use. */
export { KEYRING_SERVICE } from './backend.js';
export {
  keyringCredentials,
  keyringDisabled,
  keyringProfiles,
  KeyringUnavailableError,
  readKeyringKeys,
  removeKeyringKeys,
  storeKeyringKeys,
  type LongTermKeys,
} from './keys.js';
