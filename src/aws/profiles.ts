import { homedir } from 'node:os';
import { join } from 'node:path';
import { MfaEnvError, UsageError } from '../errors.js';
import { assertAwsFileReadable } from '../ini/file-access.js';
import { similarNames, unreadableConfigSections } from './profile-sections.js';

/** Where the AWS files are: the same variables and defaults as the SDK and the AWS CLI. */
export interface AwsFiles {
  configFile: string;
  credentialsFile: string;
}

export function awsFiles(env: NodeJS.ProcessEnv): AwsFiles {
  const home = env.HOME || homedir();
  return {
    configFile: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** A profile's settings, config and credentials file merged (credentials win, as in the SDK). */
export type ProfileSettings = Record<string, string | undefined>;

/** The profile to use: `--profile`, else AWS_PROFILE, else the current session's, else `default`. */
export function resolveProfileName(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = flag ?? (env.AWS_PROFILE || env.MFA_ENV_PROFILE || 'default');
  assertProfileName(name);
  return name;
}

export function assertProfileName(name: string): void {
  // INI section names cannot hold brackets or line breaks; control characters are always a typo.
  if (name === '' || name.length > 128 || /[\u0000-\u001f\u007f[\]]/.test(name)) {
    throw new UsageError(
      `invalid profile name ${JSON.stringify(name)}`,
      'A profile name is the text between the brackets in ~/.aws/config, e.g. --profile dev.',
    );
  }
}

/** Both files as the SDK's loader reads them, each on its own (`list` says which holds the keys). */
export async function loadProfileFiles(files: AwsFiles): Promise<{ configFile: Record<string, ProfileSettings>; credentialsFile: Record<string, ProfileSettings> }> {
  assertAwsFileReadable(files.configFile, 'AWS_CONFIG_FILE');
  assertAwsFileReadable(files.credentialsFile, 'AWS_SHARED_CREDENTIALS_FILE');
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  return loadSharedConfigFiles({ filepath: files.credentialsFile, configFilepath: files.configFile, ignoreCache: true });
}

/** Reads both files with the SDK's own loader (never a home-made INI parser). */
export async function loadAllProfiles(files: AwsFiles): Promise<Record<string, ProfileSettings>> {
  const { configFile, credentialsFile } = await loadProfileFiles(files);
  const merged: Record<string, ProfileSettings> = {};
  for (const [name, settings] of Object.entries(configFile)) {
    // sso-session and services sections are not profiles; the loader keys them with a dot.
    if (name.includes('.') && /^(sso-session|services)\./.test(name)) continue;
    merged[name] = lowerCaseKeys(settings);
  }
  for (const [name, settings] of Object.entries(credentialsFile)) {
    merged[name] = { ...merged[name], ...lowerCaseKeys(settings) };
  }
  return merged;
}

/**
 * Key names in lower case, as botocore's configparser and aws-vault read them (`Role_Arn`,
 * `MFA_SERIAL`); the JS SDK's loader keeps them as written. A later spelling of a key wins.
 */
function lowerCaseKeys(settings: Record<string, string | undefined>): ProfileSettings {
  const lowered: ProfileSettings = {};
  for (const [key, value] of Object.entries(settings)) lowered[key.toLowerCase()] = value;
  return lowered;
}

export async function loadProfile(name: string, files: AwsFiles): Promise<ProfileSettings> {
  const profiles = await loadAllProfiles(files);
  const settings = profiles[name];
  if (!settings) throw profileNotFound(name, files, Object.keys(profiles));
  return settings;
}

/**
 * The error for a profile that is not there: a section the SDK's loader cannot read says so
 * (never "not found"), a near miss gets "did you mean", else the known profiles.
 */
export function profileNotFound(name: string, files: AwsFiles, known: string[]): MfaEnvError {
  const unreadable = unreadableConfigSections(files.configFile).find((section) => section.name === name);
  if (unreadable) {
    return new MfaEnvError(
      `the section [${unreadable.header}] in ${files.configFile} cannot be read by the AWS SDK's loader, which mfa-env uses: ${unreadable.why}`,
      /^[\w\-@+.%:/]+$/.test(name)
        ? `Write the header as [profile ${name}].`
        : `Rename the profile to a name without spaces or quotes, e.g. [profile ${name.replace(/[^\w\-@+.%:/]+/g, '-')}], and use that name.`,
    );
  }
  const similar = similarNames(name, known);
  if (similar.length) {
    return new MfaEnvError(
      `profile "${name}" is not in ${files.configFile} or ${files.credentialsFile}; did you mean ${similar.slice(0, 3).join(' or ')}?`,
      `Run again with --profile ${similar[0]}. Known profiles: ${[...known].sort().join(', ')}.`,
    );
  }
  return new MfaEnvError(
    `profile "${name}" is not in ${files.configFile} or ${files.credentialsFile}`,
    known.length
      ? `Known profiles: ${[...known].sort().join(', ')}. Pick one with --profile.`
      : `Create it with \`aws configure --profile ${name}\`, then run \`mfa-env setup --profile ${name}\`.`,
  );
}
