import { homedir } from 'node:os';
import { join } from 'node:path';
import { MfaEnvError, UsageError } from '../errors.js';

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

/** Reads both files with the SDK's own loader (never a home-made INI parser). */
export async function loadAllProfiles(files: AwsFiles): Promise<Record<string, ProfileSettings>> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    filepath: files.credentialsFile,
    configFilepath: files.configFile,
    ignoreCache: true,
  });
  const merged: Record<string, ProfileSettings> = {};
  for (const [name, settings] of Object.entries(configFile)) {
    // sso-session and services sections are not profiles; the loader keys them with a dot.
    if (name.includes('.') && /^(sso-session|services)\./.test(name)) continue;
    merged[name] = { ...settings };
  }
  for (const [name, settings] of Object.entries(credentialsFile)) {
    merged[name] = { ...merged[name], ...settings };
  }
  return merged;
}

export async function loadProfile(name: string, files: AwsFiles): Promise<ProfileSettings> {
  const profiles = await loadAllProfiles(files);
  const settings = profiles[name];
  if (!settings) throw profileNotFound(name, files, Object.keys(profiles));
  return settings;
}

export function profileNotFound(name: string, files: AwsFiles, known: string[]): MfaEnvError {
  return new MfaEnvError(
    `profile "${name}" is not in ${files.configFile} or ${files.credentialsFile}`,
    known.length
      ? `Known profiles: ${[...known].sort().join(', ')}. Pick one with --profile.`
      : `Create it with \`aws configure --profile ${name}\`, then run \`mfa-env setup --profile ${name}\`.`,
  );
}
