/** `mfa-env list`: every profile, how it logs in, and what is cached for it. No secret. */
import { unreadableConfigSections } from '../aws/profile-sections.js';
import { awsFiles, loadAllProfiles, loadProfileFiles, profileNotFound, type AwsFiles, type ProfileSettings } from '../aws/profiles.js';
import { resolveProfile, type FirstCredentials, type ResolvedProfile } from '../aws/role-chain.js';
import { MfaEnvError } from '../errors.js';
import { cachedSessionOf, type CachedSessionInfo } from './cached.js';

/** Where a profile's long-term keys are; `keyring` is filled by the keyring hook (KeysLocator). */
export type KeysLocation = 'credentials-file' | 'config-file' | 'keyring' | null;

/** The keyring helper plugs in here; without it only the files are looked at. */
export type KeysLocator = (profile: string) => KeysLocation;

export interface ListEntry {
  profile: string;
  /** session: GetSessionToken; role: one AssumeRole; chain: several; none: cannot log in. */
  flow: ResolvedProfile['flow'];
  mfaSerial: string | null;
  /** The profile mfa_serial is read from (a source's, for a role without its own). */
  mfaSerialProfile: string | null;
  /** Where the first credentials come from, in words: `static keys of user`, `credential_source Environment`. */
  source: string | null;
  /** The roles assumed, first to last. */
  roles: Array<{ profile: string; roleArn: string }>;
  region: string | null;
  keys: KeysLocation;
  session: CachedSessionInfo | null;
  /** Why the profile cannot log in as configured. */
  problem: string | null;
}

export function describeSource(first: FirstCredentials | undefined): string | null {
  if (!first) return null;
  switch (first.kind) {
    case 'static': return `static keys of ${first.profile}`;
    case 'process': return `credential_process of ${first.profile}`;
    case 'sso': return `SSO of ${first.profile}`;
    case 'web-identity': return `web identity of ${first.profile}`;
    case 'credential-source': return `credential_source ${first.source}`;
  }
}

function keysIn(profile: string, config: Record<string, ProfileSettings>, credentials: Record<string, ProfileSettings>): KeysLocation {
  const hasKey = (settings: ProfileSettings | undefined) => Object.keys(settings ?? {}).some((key) => key.toLowerCase() === 'aws_access_key_id');
  if (hasKey(credentials[profile])) return 'credentials-file';
  return hasKey(config[profile]) ? 'config-file' : null;
}

function entryOf(name: string, profiles: Record<string, ProfileSettings>, locate: KeysLocator, now: number): ListEntry {
  const session = cachedSessionOf(name, now);
  const base = { profile: name, region: profiles[name]?.region ?? null, session };
  try {
    const resolved = resolveProfile(name, profiles);
    const keysProfile = resolved.first?.kind === 'static' ? resolved.first.profile : undefined;
    return {
      ...base,
      flow: resolved.flow,
      mfaSerial: resolved.mfaSerial ?? null,
      mfaSerialProfile: resolved.mfaSerialProfile ?? null,
      source: describeSource(resolved.first),
      roles: resolved.hops.map((hop) => ({ profile: hop.profile, roleArn: hop.roleArn })),
      keys: keysProfile ? locate(keysProfile) : null,
      problem: resolved.problem ?? null,
    };
  } catch (error) {
    if (!(error instanceof MfaEnvError)) throw error;
    return { ...base, flow: 'none', mfaSerial: null, mfaSerialProfile: null, source: null, roles: [], keys: null, problem: error.message };
  }
}

/** Every profile of both files, sorted by name. `keyring` adds the keyring's answer (another branch). */
export async function listProfiles(env: NodeJS.ProcessEnv, options: { files?: AwsFiles; keyring?: KeysLocator; now?: number } = {}): Promise<ListEntry[]> {
  const files = options.files ?? awsFiles(env);
  const { configFile, credentialsFile } = await loadProfileFiles(files);
  const profiles = await loadAllProfiles(files);
  const fileLocator: KeysLocator = (profile) => keysIn(profile, configFile, credentialsFile);
  const locate: KeysLocator = options.keyring ? (profile) => options.keyring!(profile) ?? fileLocator(profile) : fileLocator;
  const entries = Object.keys(profiles).map((name) => entryOf(name, profiles, locate, options.now ?? Date.now()));
  // Sections botocore reads and the SDK's loader skips: listed with the reason, not left out.
  for (const section of unreadableConfigSections(files.configFile)) {
    if (profiles[section.name]) continue;
    const problem = profileNotFound(section.name, files, []).message;
    entries.push({ profile: section.name, flow: 'none', mfaSerial: null, mfaSerialProfile: null, source: null, roles: [], region: null, keys: null, session: null, problem });
  }
  return entries.sort((a, b) => (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0));
}
