import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirPath } from './cache-dir.js';
import { followFilePath, followStampPath, isFollowStampOf } from './layout.js';
import { createEmptyFile, writeFileAtomic } from './files.js';

/**
 * The follow file: one session as plain data for the shell integration, which reads it at
 * each prompt with builtins (bash/zsh `read -r -d ''`, fish `string split0`) and never sources
 * or evaluates it. Every field ends in a NUL byte, so a value may hold newlines, quotes, `$`,
 * anything but NUL (which no environment variable can hold either; such a session gets no file).
 * The order is the contract with shell/mfa-env.*: expiry first, so a prompt reads one field.
 */
export interface FollowRecord {
  /** MFA_ENV_EXPIRES: epoch seconds, digits only. */
  expires: string;
  kind: 'session' | 'role';
  /** A role's source profile, whose cached MFA session can renew it without a code; '' otherwise. */
  sourceProfile: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** AWS_CREDENTIAL_EXPIRATION, as login exports it. */
  credentialExpiration: string;
  /** '' when the profile has none (then AWS_REGION is left alone, as by login). */
  region: string;
  profile: string;
  /** The assumed role's ARN, for the summary line; '' for an MFA session. */
  identityArn: string;
}

/** The fields in file order (a data table: the shells read them in this order). */
export const FOLLOW_FIELDS = [
  'expires',
  'kind',
  'sourceProfile',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'credentialExpiration',
  'region',
  'profile',
  'identityArn',
] as const satisfies ReadonlyArray<keyof FollowRecord>;

/** The file's bytes, or undefined when a value cannot be written (a NUL, or an expiry that is not digits). */
export function formatFollowRecord(record: FollowRecord): string | undefined {
  if (!/^[0-9]{1,12}$/.test(record.expires)) return undefined;
  const values = FOLLOW_FIELDS.map((field) => record[field]);
  if (values.some((value) => value.includes('\0'))) return undefined;
  return values.map((value) => `${value}\0`).join('');
}

/**
 * Writes (atomically, 0600, replacing a link rather than following it) or, for an unwritable
 * record, removes; then stamps it with its expiry (store/layout.ts followStampPath). The old
 * stamps go first: a shell that looks in between finds no stamp and reads the file.
 */
export function writeFollowFile(record: FollowRecord, dir: string): void {
  const content = formatFollowRecord(record);
  if (content === undefined) {
    removeFollowFile(record.profile, dir);
    return;
  }
  removeFollowStamps(record.profile, dir);
  writeFileAtomic(followFilePath(record.profile, dir), content);
  createEmptyFile(followStampPath(record.profile, record.expires, dir));
}

export function removeFollowFile(profile: string, dir = cacheDirPath()): void {
  removeFollowStamps(profile, dir);
  unlinkIfThere(followFilePath(profile, dir));
}

function removeFollowStamps(profile: string, dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) if (isFollowStampOf(profile, name)) unlinkIfThere(join(dir, name));
}

function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
