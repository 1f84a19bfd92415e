import { assertProfileName, awsFiles } from '../aws/profiles.js';
import { MfaEnvError } from '../errors.js';
import { editAwsFile, readAwsFile } from '../ini/file-edit.js';
import { parseWithSdk } from '../ini/sdk-parse.js';
import { lowerCaseKeys, removeKeys } from '../ini/section-editor.js';
import type { LongTermKeys } from '../keyring/index.js';
import { describeIdentity, verifyKeys } from './verify.js';

const KEY_LINES = ['aws_access_key_id', 'aws_secret_access_key'] as const;

/** The long-term keys of [profile] in the credentials file, as the SDK's loader reads them. */
async function keysInFile(profile: string, text: string | undefined, path: string): Promise<LongTermKeys> {
  const sections = text === undefined ? {} : await parseWithSdk(text, 'credentials');
  const section = lowerCaseKeys(sections[profile]);
  const withKeys = Object.keys(sections).filter((name) => lowerCaseKeys(sections[name]).aws_secret_access_key).sort();
  if (!section.aws_access_key_id || !section.aws_secret_access_key) {
    throw new MfaEnvError(
      `[${profile}] in ${path} has no aws_access_key_id and aws_secret_access_key to move`,
      withKeys.length ? `Sections there with keys: ${withKeys.join(', ')}. Pick one with --profile.` : 'To store keys you have elsewhere: `mfa-env keys add --profile NAME`.',
    );
  }
  if (section.aws_session_token || section.aws_security_token) {
    throw new MfaEnvError(`[${profile}] in ${path} holds a session (aws_session_token), not long-term keys`, 'Only an IAM user\'s long-term keys (AKIA…) belong in the keyring.');
  }
  return { accessKeyId: section.aws_access_key_id, secretAccessKey: section.aws_secret_access_key };
}

/**
 * `keys migrate`: the keys of [profile] are checked with GetCallerIdentity, stored in the
 * keyring and read back; only then do their two lines leave the credentials file (under its
 * lock, the file re-read, its mode kept), every other byte as it was. A failure before the
 * edit leaves the file as it was; the keyring entry is then harmless (the same keys).
 */
export async function migrateKeys(options: { profile: string; env: NodeJS.ProcessEnv; say: (message: string) => void }): Promise<void> {
  const { profile, env } = options;
  assertProfileName(profile);
  const path = awsFiles(env).credentialsFile;
  const keyring = await import('../keyring/index.js');
  // Proves the keyring is usable before any network call.
  keyring.readKeyringKeys(profile);
  const keys = await keysInFile(profile, readAwsFile(path, 'credentials file'), path);
  const identity = await verifyKeys(profile, keys, env);
  keyring.storeKeyringKeys(profile, keys);
  const stored = keyring.readKeyringKeys(profile);
  if (stored?.accessKeyId !== keys.accessKeyId || stored.secretAccessKey !== keys.secretAccessKey) {
    throw new MfaEnvError('the OS keyring did not give back the keys just stored; the credentials file is unchanged', 'Check the keyring (is the collection unlocked?), then run this again.');
  }
  await editAwsFile(path, 'credentials file', async (current) => {
    const now = await keysInFile(profile, current, path);
    if (now.accessKeyId !== keys.accessKeyId || now.secretAccessKey !== keys.secretAccessKey) {
      throw new MfaEnvError(`the keys of [${profile}] in ${path} changed while they were checked; nothing was removed`, 'Run `mfa-env keys migrate` again.');
    }
    return removeKeys(current!, (name) => name === profile, KEY_LINES).content;
  }, { keepMode: true });
  options.say(`moved the keys of profile "${profile}" into the OS keyring: ${describeIdentity(keys, identity)}; removed aws_access_key_id and aws_secret_access_key from [${profile}] in ${path}`);
}
