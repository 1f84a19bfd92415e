/** `setup`: `mfa_serial` saved for a profile, every other byte of the file kept. */
import { editAwsFile, readAwsFile } from '../ini/file-edit.js';
import { parseWithSdk } from '../ini/sdk-parse.js';
import { editSection, sectionNames } from '../ini/section-editor.js';
import type { AwsFiles } from './profiles.js';

/**
 * The profile a config-file header names, by the JS SDK's rule (shared-ini-file-loader):
 * `[default]`, or `[profile NAME]` with one whitespace and NAME of `\w - @ + . % : /`,
 * optionally quoted. Anything else is not a profile to the SDK.
 */
function configProfileName(header: string): string | undefined {
  if (header === 'default') return 'default';
  const match = /^profile\s(["'])?([\w\-@+.%:/]+)\1$/.exec(header);
  return match ? match[2] : undefined;
}

export interface SavedSerial {
  path: string;
  /** How the section is written: `[default]`, `[profile dev]`, `[dev]` (credentials file). */
  section: string;
  previous?: string;
  changed: boolean;
}

/**
 * Saves `mfa_serial = serial` for `profile` where the SDKs will read it: in the credentials
 * file when its [profile] already sets mfa_serial (that value wins over the config file's),
 * otherwise in the config file's `[default]` / `[profile NAME]`, created when missing. When the
 * config file has both `[default]` and `[profile default]`, the latter is what the SDK reads.
 */
export async function saveMfaSerial(profile: string, serial: string, files: AwsFiles): Promise<SavedSerial> {
  const credentials = readAwsFile(files.credentialsFile, 'credentials file');
  if (credentials !== undefined) {
    const previous = (await parseWithSdk(credentials, 'credentials'))[profile]?.mfa_serial;
    if (previous !== undefined) {
      const { changed } = await editAwsFile(files.credentialsFile, 'credentials file', (current) =>
        editSection(current ?? '', { matches: (name) => name === profile, newHeader: profile, set: [['mfa_serial', serial]] }),
      );
      return { path: files.credentialsFile, section: `[${profile}]`, previous, changed };
    }
  }

  let previous: string | undefined;
  let section = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const { changed } = await editAwsFile(
    files.configFile,
    'config file',
    async (current) => {
      const text = current ?? '';
      previous = (await parseWithSdk(text, 'config'))[profile]?.mfa_serial;
      // `[profile default]` wins over `[default]` in the SDK: write where it reads.
      const profileDefault = profile === 'default' && sectionNames(text).some((name) => name !== 'default' && configProfileName(name) === 'default');
      if (profileDefault) section = '[profile default]';
      return editSection(text, {
        matches: (name) => configProfileName(name) === profile && !(profileDefault && name === 'default'),
        newHeader: section.slice(1, -1),
        set: [['mfa_serial', serial]],
      });
    },
    { keepMode: true },
  );
  return { path: files.configFile, section, previous, changed };
}
