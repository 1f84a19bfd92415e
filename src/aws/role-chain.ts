/**
 * A profile resolved into the STS calls that make its session, by the rules of botocore's
 * AssumeRoleProvider and the JS SDK's fromIni (pure: no file, no network). Where mfa-env
 * differs on purpose it says so here and in the README ("Profiles").
 */
import { MfaEnvError } from '../errors.js';
import type { ProfileSettings } from './profiles.js';
import { CREDENTIAL_SOURCES, type CredentialSource, type FirstCredentials, type ResolvedProfile, type RoleHop } from './role-hops.js';

export type { FirstCredentials, ResolvedProfile, RoleHop } from './role-hops.js';

type Profiles = Record<string, ProfileSettings | undefined>;

/** botocore's _has_static_credentials: either key present counts. */
function hasStaticKeys(settings: ProfileSettings): boolean {
  return settings.aws_access_key_id !== undefined || settings.aws_secret_access_key !== undefined;
}

/** A role profile to botocore: role_arn, unless it is a web identity profile. */
function isRoleProfile(settings: ProfileSettings): boolean {
  return settings.role_arn !== undefined && settings.web_identity_token_file === undefined;
}

/** Credentials a profile has by itself, in the order of botocore's ProfileProviderBuilder. */
function ownCredentials(profile: string, settings: ProfileSettings): FirstCredentials | undefined {
  if (settings.web_identity_token_file !== undefined && settings.role_arn !== undefined) return { kind: 'web-identity', profile };
  if (settings.sso_session !== undefined || settings.sso_start_url !== undefined) return { kind: 'sso', profile };
  if (hasStaticKeys(settings)) return { kind: 'static', profile };
  if (settings.credential_process !== undefined) return { kind: 'process', profile };
  // mfa-env's own rule: an IAM user's profile with mfa_serial and no keys in the files may keep
  // them in the OS keyring (mfa-env keys); resolveFirstCredentials looks there first.
  if (settings.mfa_serial !== undefined && settings.role_arn === undefined) return { kind: 'static', profile };
  return undefined;
}

function configError(message: string, hint: string): MfaEnvError {
  return new MfaEnvError(message, hint);
}

interface Chain {
  first: FirstCredentials;
  hops: RoleHop[];
}

function hopOf(profile: string, settings: ProfileSettings): RoleHop {
  return {
    profile,
    roleArn: settings.role_arn!,
    externalId: settings.external_id,
    roleSessionName: settings.role_session_name,
    duration: settings.duration_seconds,
    ownMfaSerial: settings.mfa_serial,
  };
}

/** botocore's _get_role_config checks, then the source resolved as a source. */
function resolveRole(profile: string, profiles: Profiles, visited: string[]): Chain {
  const settings = profiles[profile]!;
  const { source_profile: sourceProfile, credential_source: credentialSource } = settings;
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw configError(
      `profile "${profile}" has both source_profile and credential_source; the AWS SDKs refuse that`,
      `Keep one of them in [${profile}]: source_profile names a profile with keys, credential_source is Environment, Ec2InstanceMetadata or EcsContainer.`,
    );
  }
  if (credentialSource !== undefined) {
    if (!(CREDENTIAL_SOURCES as readonly string[]).includes(credentialSource)) {
      throw configError(
        `credential_source "${credentialSource}" of profile "${profile}" is not one the AWS SDKs support`,
        `Use one of ${CREDENTIAL_SOURCES.join(', ')} (spelled exactly so), or source_profile = NAME.`,
      );
    }
    return { first: { kind: 'credential-source', profile, source: credentialSource as CredentialSource }, hops: [hopOf(profile, settings)] };
  }
  if (sourceProfile === undefined) {
    throw configError(
      `role profile "${profile}" has no source_profile and no credential_source, so nothing can assume ${settings.role_arn}`,
      `Add source_profile = NAME to [${profile}], naming the profile with your IAM user's keys (or credential_source = Environment).`,
    );
  }
  checkSource(profile, sourceProfile, profiles, visited);
  visited.push(sourceProfile);
  // A profile naming itself holds the keys its own role is assumed with (botocore allows it
  // only when it has static keys, which checkSource made sure of).
  const source = sourceProfile === profile ? { first: { kind: 'static', profile } as const, hops: [] } : resolveAsSource(sourceProfile, profiles, visited);
  return { first: source.first, hops: [...source.hops, hopOf(profile, settings)] };
}

/** botocore's _validate_source_profile: the source exists; a loop only when it is not a self-reference with keys. */
function checkSource(profile: string, sourceProfile: string, profiles: Profiles, visited: string[]): void {
  const source = profiles[sourceProfile];
  if (!source) {
    throw configError(
      `profile "${profile}" names source_profile "${sourceProfile}", which does not exist`,
      `Fix source_profile in [${profile}], or add a [${sourceProfile}] profile with its long-term keys.`,
    );
  }
  if (!visited.includes(sourceProfile)) return;
  if (sourceProfile !== profile || !hasStaticKeys(source)) {
    throw configError(
      `the source_profile chain of "${visited[0]}" loops: ${[...visited, sourceProfile].join(' → ')}`,
      'Make the last profile of the chain hold keys (aws_access_key_id), credential_process, SSO or credential_source.',
    );
  }
}

/** botocore's _resolve_credentials_from_profile: a source's own credentials win over its role_arn. */
function resolveAsSource(profile: string, profiles: Profiles, visited: string[]): Chain {
  const settings = profiles[profile]!;
  if (hasStaticKeys(settings) || !isRoleProfile(settings)) {
    const first = ownCredentials(profile, settings);
    if (!first) {
      throw configError(
        `source profile "${profile}" has no credentials`,
        `Add aws_access_key_id and aws_secret_access_key to [${profile}] (\`aws configure --profile ${profile}\`), or credential_process / SSO.`,
      );
    }
    return { first, hops: [] };
  }
  return resolveRole(profile, profiles, visited);
}

/** The hop that takes the code: the first with its own mfa_serial (see mfaFromSource). */
function mfaOfChain(chain: Chain, profiles: Profiles): Pick<ResolvedProfile, 'mfaSerial' | 'mfaHop' | 'mfaSerialProfile'> {
  const index = chain.hops.findIndex((hop) => hop.ownMfaSerial !== undefined);
  if (index >= 0) return { mfaSerial: chain.hops[index]!.ownMfaSerial, mfaHop: index, mfaSerialProfile: chain.hops[index]!.profile };
  // mfa-env's own rule (botocore sends no code here): a role whose source holds the IAM user's
  // keys and mfa_serial is assumed with that device, as the user who wrote mfa_serial expects.
  const sourceSerial = chain.first.kind === 'static' ? profiles[chain.first.profile]?.mfa_serial : undefined;
  if (sourceSerial === undefined) return {};
  return { mfaSerial: sourceSerial, mfaHop: 0, mfaSerialProfile: chain.first.profile };
}

/** A profile without role_arn: mfa-env makes a GetSessionToken session (botocore just uses the keys). */
function resolveSessionProfile(profile: string, settings: ProfileSettings, profiles: Profiles): ResolvedProfile {
  const own = ownCredentials(profile, settings);
  const base = { profile, hops: [], region: settings.region };
  // mfa-env's own rule: source_profile without role_arn lends its keys (and device) for GetSessionToken.
  const sourceName = own ? undefined : settings.source_profile;
  const source = sourceName !== undefined ? profiles[sourceName] : undefined;
  if (sourceName !== undefined && !source) {
    throw configError(`profile "${profile}" names source_profile "${sourceName}", which does not exist`, `Fix source_profile in [${profile}], or add the [${sourceName}] profile.`);
  }
  const first = own ?? (source && sourceName !== undefined ? ownCredentials(sourceName, source) : undefined);
  if (!first) return { ...base, flow: 'none', problem: 'no keys, no role_arn and no source_profile' };
  const serialProfile = settings.mfa_serial !== undefined ? profile : sourceName;
  const mfaSerial = settings.mfa_serial ?? source?.mfa_serial;
  return { ...base, flow: 'session', first, mfaSerial, mfaSerialProfile: mfaSerial !== undefined ? serialProfile : undefined };
}

/**
 * Resolves `profile` (keys already lower-cased by loadAllProfiles) into its first credentials
 * and AssumeRole hops. Throws MfaEnvError for what the SDKs refuse: a missing source, both
 * source_profile and credential_source, an unknown credential_source, a loop.
 */
export function resolveProfile(profile: string, profiles: Profiles): ResolvedProfile {
  const settings = profiles[profile];
  if (!settings) throw configError(`profile "${profile}" does not exist`, 'Pick one of the profiles `mfa-env list` shows.');
  if (!isRoleProfile(settings)) return resolveSessionProfile(profile, settings, profiles);
  const chain = resolveRole(profile, profiles, [profile]);
  return {
    profile,
    flow: chain.hops.length > 1 ? 'chain' : 'role',
    first: chain.first,
    hops: chain.hops,
    ...mfaOfChain(chain, profiles),
    region: settings.region,
  };
}
