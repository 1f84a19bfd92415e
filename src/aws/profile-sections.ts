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

/** Levenshtein distance, stopping early once it passes `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known names one or two edits from `name`, closest first. */
export function similarNames(name: string, known: string[]): string[] {
  return known
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase(), 2) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .map(({ candidate }) => candidate);
}
