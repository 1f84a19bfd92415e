import { statSync } from 'node:fs';
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import { ensureCacheDir } from '../store/cache-dir.js';
import { readOwnFile, writeFileAtomic } from '../store/files.js';
import { SNAPSHOT_VERSION, snapshotPath } from '../store/layout.js';

/**
 * A snapshot of the SDK loader's last output, so that a login served from the cache need not
 * load the loader (@smithy/core/config, ~30 ms on Node 20) while the AWS files are unchanged.
 * It is only ever used to find a cache hit: a miss, an error or `--force` reads the files
 * afresh with the SDK's loader, and nothing that acts (STS, mfa_process, writing files)
 * sees the snapshot.
 */

const MAX_SNAPSHOT_BYTES = 1024 * 1024;

/** Kept out of the snapshot: the long-term secrets stay in the credentials file alone. */
const SECRET_SETTINGS = ['aws_secret_access_key', 'aws_session_token', 'aws_security_token'];
/** Stands for a secret that is set: the plan only asks whether it is. */
const REDACTED = '(redacted)';

/**
 * What the two files are right now, without reading them: path, device, inode, size, mtime and
 * ctime in nanoseconds (any write, rename or replacement changes one of them). Undefined
 * when that cannot be told (a `~` the SDK expands itself, an unreadable directory).
 */
export function profilesStamp(files: AwsFiles): string | undefined {
  const parts: string[] = [];
  for (const path of [files.configFile, files.credentialsFile]) {
    if (path.startsWith('~')) return undefined;
    let stat;
    try {
      stat = statSync(path, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
    }
    parts.push(path, stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'missing');
  }
  return JSON.stringify(parts);
}

/** The profiles as the SDK's loader read them, if the snapshot was taken of the files as they are now. */
export function readProfilesSnapshot(files: AwsFiles): Record<string, ProfileSettings> | undefined {
  const stamp = profilesStamp(files);
  if (stamp === undefined) return undefined;
  const result = readOwnFile(snapshotPath(), MAX_SNAPSHOT_BYTES);
  if (!result.ok) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(result.content);
  } catch {
    return undefined;
  }
  const snapshot = data as { version?: unknown; stamp?: unknown; profiles?: unknown } | null;
  if (snapshot?.version !== SNAPSHOT_VERSION || snapshot.stamp !== stamp) return undefined;
  const profiles = snapshot.profiles;
  if (typeof profiles !== 'object' || profiles === null) return undefined;
  for (const settings of Object.values(profiles)) {
    if (typeof settings !== 'object' || settings === null) return undefined;
    if (Object.values(settings).some((value) => typeof value !== 'string')) return undefined;
  }
  return profiles as Record<string, ProfileSettings>;
}

/**
 * Saves the loader's output, secrets redacted, under the stamp taken BEFORE the files were
 * read: a change made while they were being read makes the stamp stale, never the snapshot.
 * Best effort: a snapshot that cannot be written only makes the next cached login slower.
 */
export function writeProfilesSnapshot(stamp: string, profiles: Record<string, ProfileSettings>): void {
  const redacted: Record<string, ProfileSettings> = {};
  for (const [name, settings] of Object.entries(profiles)) {
    const copy: ProfileSettings = {};
    for (const [key, value] of Object.entries(settings)) {
      if (typeof value === 'string') copy[key] = SECRET_SETTINGS.includes(key) && value !== '' ? REDACTED : value;
    }
    redacted[name] = copy;
  }
  try {
    writeFileAtomic(snapshotPath(ensureCacheDir()), JSON.stringify({ version: SNAPSHOT_VERSION, stamp, profiles: redacted }));
  } catch {
    // an unwritable or unsafe cache dir: the full path reports it where it matters
  }
}
