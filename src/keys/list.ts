import { awsFiles } from '../aws/profiles.js';
import { readAwsFile } from '../ini/file-edit.js';
import { parseWithSdk } from '../ini/sdk-parse.js';
import { lowerCaseKeys } from '../ini/section-editor.js';
import { maskKey } from '../secrets.js';

export interface KeysLocation {
  profile: string;
  /** `keyring` wins over `file` at login when both hold keys. */
  where: 'keyring' | 'file';
  /** Masked: AKIA…WXYZ. */
  accessKeyId: string;
  /** The credentials file, for `file`. */
  path?: string;
}

export interface KeysListing {
  keys: KeysLocation[];
  /** Why the keyring was not listed (no Secret Service, no addon), when it was not. */
  keyringError?: string;
}

/** Every profile with long-term keys in the keyring or the credentials file (never the secrets). */
export async function listKeys(env: NodeJS.ProcessEnv): Promise<KeysListing> {
  const keys: KeysLocation[] = [];
  let keyringError: string | undefined;
  const keyring = await import('../keyring/index.js');
  try {
    for (const profile of keyring.keyringProfiles()) {
      const stored = keyring.readKeyringKeys(profile);
      if (stored) keys.push({ profile, where: 'keyring', accessKeyId: maskKey(stored.accessKeyId) });
    }
  } catch (error) {
    keyringError = error instanceof Error ? error.message : String(error);
  }
  const path = awsFiles(env).credentialsFile;
  const text = readAwsFile(path, 'credentials file');
  const sections = text === undefined ? {} : await parseWithSdk(text, 'credentials');
  for (const [profile, section] of Object.entries(sections)) {
    const settings = lowerCaseKeys(section);
    const id = settings.aws_access_key_id;
    if (id && settings.aws_secret_access_key && !settings.aws_session_token && !settings.aws_security_token) {
      keys.push({ profile, where: 'file', accessKeyId: maskKey(id), path });
    }
  }
  keys.sort((a, b) => a.profile.localeCompare(b.profile) || a.where.localeCompare(b.where));
  return { keys, keyringError };
}
