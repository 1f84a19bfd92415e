/**
 * The OS keyring through @napi-rs/keyring (Secret Service on Linux, Keychain on macOS,
 * Credential Manager on Windows). Only this module touches the native addon, and only when a
 * function below is called: a cached login, clear, status and the prompt never load it.
 *
 * On Linux every entry is pinned to the Secret Service. The addon's default entry falls back
 * to the kernel keyring without one, silently, and that is not a place a user chose for a key
 * (it lives in kernel memory until the session ends and no keyring tool shows it).
 */
import { createRequire } from 'node:module';
import { MfaEnvError } from '../errors.js';

type KeyringModule = typeof import('@napi-rs/keyring');
type KeyringEntry = InstanceType<KeyringModule['Entry']>;

/** The keyring's service name; the account is the profile name. */
export const KEYRING_SERVICE = 'mfa-env';

/** The keyring cannot be used here: the addon does not load, or no Secret Service answers. */
export class KeyringUnavailableError extends MfaEnvError {}

const KEEP_IN_FILE =
  'Or keep the keys in the credentials file (~/.aws/credentials, mode 600): mfa-env reads them there as before, and every other command works without a keyring.';

let loaded: KeyringModule | undefined;

function keyringModule(): KeyringModule {
  if (loaded) return loaded;
  try {
    // require() rather than import(): the bundle must not try to inline a native addon, and
    // the addon is a CommonJS package anyway.
    loaded = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
    return loaded;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyringUnavailableError(
      `the OS keyring module (@napi-rs/keyring) cannot be loaded on ${process.platform}-${process.arch}: ${reason}`,
      `Reinstall mfa-env so npm installs the prebuilt keyring binary for this platform. ${KEEP_IN_FILE}`,
    );
  }
}

/** How to get a Secret Service on a machine that has none (Linux) or a keychain that answers. */
function noServiceHint(): string {
  if (process.platform !== 'linux') return `Unlock the system keychain and try again. ${KEEP_IN_FILE}`;
  return [
    'Start one in this session, e.g. gnome-keyring:',
    '  dbus-run-session -- $SHELL   # a shell with a session bus, when DBUS_SESSION_BUS_ADDRESS is empty',
    '  echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets',
    '(a desktop session, KeePassXC or KWallet with Secret Service enabled also work).',
    KEEP_IN_FILE,
  ].join('\n');
}

/** The keyring's own words for why it failed, e.g. "Platform failure: DBus error: …". */
function unavailable(error: unknown, doing: string): KeyringUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  const what = process.platform === 'linux' ? 'no Secret Service (org.freedesktop.secrets) answers on the session bus' : 'the OS keyring does not answer';
  return new KeyringUnavailableError(`cannot ${doing} the OS keyring: ${what} (${reason})`, noServiceHint());
}

/** The entry of `account`, pinned to the Secret Service on Linux; throws when the store is not there. */
function entryFor(account: string, doing: string): KeyringEntry {
  const { Entry } = keyringModule();
  try {
    return new Entry(KEYRING_SERVICE, account, { linux: { store: 'secret-service' } });
  } catch (error) {
    throw unavailable(error, doing);
  }
}

/** The stored text of `account`, or undefined when there is none. */
export function readEntry(account: string): string | undefined {
  const entry = entryFor(account, 'read from');
  try {
    return entry.getPassword() ?? undefined;
  } catch (error) {
    throw unavailable(error, 'read from');
  }
}

export function writeEntry(account: string, text: string): void {
  const entry = entryFor(account, 'write to');
  try {
    entry.setPassword(text);
  } catch (error) {
    throw unavailable(error, 'write to');
  }
}

/** True when an entry was deleted, false when there was none. */
export function deleteEntry(account: string): boolean {
  const entry = entryFor(account, 'delete from');
  try {
    return entry.deleteCredential();
  } catch (error) {
    throw unavailable(error, 'delete from');
  }
}

/**
 * Every account stored under our service. The store is first proven to be the Secret Service
 * (an entry pinned to it), since the addon's search has no such pin.
 */
export function listAccounts(): string[] {
  entryFor('mfa-env-probe', 'list');
  try {
    return keyringModule()
      .findCredentials(KEYRING_SERVICE)
      .map((credential) => credential.account)
      .sort();
  } catch (error) {
    throw unavailable(error, 'list');
  }
}
