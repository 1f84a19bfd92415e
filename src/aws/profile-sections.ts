/**
 * Why a profile is "not found": a section the JS SDK's loader skips although botocore reads it,
 * or a near miss of a real name. Only runs on the error path, so reading the file again is fine.
 */
import { readFileSync } from 'node:fs';
import { sectionNames } from '../ini/section-editor.js';

/** The JS SDK's header rule (@smithy shared-ini loader): `PREFIX NAME` with one whitespace. */
const SDK_HEADER = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;

export interface UnreadableSection {
  /** The header as written, without brackets. */
  header: string;
  /** The profile botocore reads from it. */
  name: string;
  why: string;
}

/** botocore's name for a config header (shlex.split of `profile "team admin"`), or undefined. */
function botocoreName(header: string): string | undefined {
  const match = /^profile\s+(.*?)\s*$/.exec(header);
  if (!match) return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(match[1]!);
  return quoted ? quoted[2] : match[1];
}

/** Config-file sections botocore reads as a profile and the JS SDK (so mfa-env) cannot. */
export function unreadableConfigSections(configFile: string): UnreadableSection[] {
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch {
    return [];
  }
  const found: UnreadableSection[] = [];
  for (const header of sectionNames(text)) {
    if (header === 'default' || SDK_HEADER.test(header) || /^(sso-session|services)\s/.test(header)) continue;
    const name = botocoreName(header);
    if (name !== undefined) {
      found.push({ header, name, why: 'the AWS SDK for JavaScript reads only `[profile NAME]` with one space and a NAME of letters, digits and `_-@+.%:/`' });
    } else if (!/\s/.test(header)) {
      // `[dev]` in the config file: neither SDK reads it (only the credentials file names profiles bare).
      found.push({ header, name: header, why: 'in the config file a profile section is written `[profile NAME]`' });
    }
  }
  return found;
}

/** Edit distance counting a swap of two neighbours as one edit (`dve` → `dev`), as typos are. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known names one or two edits from `name`, closest first. Short names allow fewer edits
 * (one per three letters): two edits turn `nope` into `role`, which is no typo.
 */
export function similarNames(name: string, known: string[]): string[] {
  const allowed = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  return known
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= allowed)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .map(({ candidate }) => candidate);
}
