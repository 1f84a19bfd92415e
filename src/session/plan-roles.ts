import { resolveProfile, type FirstCredentials, type ResolvedProfile, type RoleHop } from '../aws/role-chain.js';
import type { ProfileSettings } from '../aws/profiles.js';
import { assertSerial } from '../mfa/validate.js';
import { resolveDuration } from './duration.js';
import type { SessionFlags } from './plan-flags.js';

type Profiles = Record<string, ProfileSettings | undefined>;

/** One AssumeRole call of a login, with every value settled (names, durations, flags). */
export interface PlanHop {
  /** The profile whose role_arn this is (the logged-in profile for --role-arn). */
  profile: string;
  roleArn: string;
  externalId?: string;
  sessionName: string;
  /** undefined: none sent (STS's default, 1 h), as botocore does for a hop without duration_seconds. */
  durationSeconds?: number;
}

/**
 * A cached session that stands in for the first hops of a chain and saves the code: a cached
 * role session of hop N's profile (the login continues at hop N+1), or the cached
 * GetSessionToken session of the first profile (it signs hop 0 instead of the long-term keys).
 */
export interface CachedStart {
  profile: string;
  /**
   * The settings the entry must have been made from (a hop's role session); undefined for the
   * IAM user's GetSessionToken session, which signs as that user whatever made it (as before).
   */
  fingerprint?: string;
  kind: 'session' | 'role';
  nextHop: number;
}

/** What a role plan adds to a LoginPlan (see plan.ts). */
export interface RoleParts {
  first: FirstCredentials;
  hops: PlanHop[];
  mfaHop?: number;
  mfaSerial?: string;
  credentialsProfile: string;
  mfaProcess?: string;
  cachedStarts: CachedStart[];
}

/** A name no INI section can have: the --role-arn hop while it is resolved like a profile. */
const AD_HOC = '\0--role-arn';

/** resolveProfile, with --role-arn as one more hop whose source is the profile (or its [NAME-long-term]). */
function resolvedWithFlags(profile: string, profiles: Profiles, roleArn: string | undefined, longTerm: string | undefined): ResolvedProfile {
  if (roleArn === undefined) return resolveProfile(profile, profiles);
  const resolved = resolveProfile(AD_HOC, { ...profiles, [AD_HOC]: { role_arn: roleArn, source_profile: longTerm ?? profile } });
  const rename = (name: string | undefined) => (name === AD_HOC ? profile : name);
  const hops = resolved.hops.map((hop) => ({ ...hop, profile: rename(hop.profile)! }));
  return { ...resolved, profile, hops, mfaSerialProfile: rename(resolved.mfaSerialProfile) };
}

function planHop(hop: RoleHop, isLast: boolean, asked: { duration?: string; flags: SessionFlags; defaultName: string }): PlanHop {
  const durationText = isLast ? (asked.duration ?? hop.duration) : hop.duration;
  const source = isLast && asked.duration !== undefined ? '--duration' : `duration_seconds of profile "${hop.profile}"`;
  return {
    profile: hop.profile,
    roleArn: hop.roleArn,
    externalId: (isLast ? asked.flags.externalId : undefined) ?? hop.externalId,
    sessionName: (isLast ? asked.flags.sessionName : undefined) ?? hop.roleSessionName ?? asked.defaultName,
    // The last hop always says how long (mfa-env's default 1 h); earlier hops only when configured.
    durationSeconds: isLast || durationText !== undefined ? resolveDuration('role', durationText, source) : undefined,
  };
}

/**
 * The cached sessions that would save the code, latest first: only hops at or after the one
 * that takes the code, and the first profile's MFA session when hop 0 takes it.
 */
function cachedStartsOf(resolved: ResolvedProfile, fingerprintOf: (profile: string) => string | undefined): CachedStart[] {
  const { hops, mfaHop, first } = resolved;
  if (mfaHop === undefined) return [];
  const starts: CachedStart[] = [];
  for (let index = hops.length - 2; index >= mfaHop; index--) {
    const profile = hops[index]!.profile;
    const fingerprint = fingerprintOf(profile);
    if (fingerprint !== undefined) starts.push({ profile, fingerprint, kind: 'role', nextHop: index + 1 });
  }
  // A self-named source's entry is the role session itself: login-start.ts checks the kind.
  if (mfaHop === 0 && first?.kind === 'static') starts.push({ profile: first.profile, kind: 'session', nextHop: 0 });
  return starts;
}

/**
 * The role part of a plan: resolveProfile's hops with names, durations and the flags settled,
 * the device checked, and the cached sessions that could stand in for the first hops.
 */
export function rolePlanParts(
  profile: string,
  profiles: Profiles,
  asked: { duration?: string; flags: SessionFlags; longTerm?: string; defaultName: string },
  fingerprintOf: (profile: string) => string | undefined,
): RoleParts {
  const resolved = resolvedWithFlags(profile, profiles, asked.flags.roleArn, asked.longTerm);
  const first = resolved.first!;
  const hops = resolved.hops.map((hop, index) => planHop(hop, index === resolved.hops.length - 1, asked));
  if (resolved.mfaSerial !== undefined) assertSerial(resolved.mfaSerial, `mfa_serial of profile "${resolved.mfaSerialProfile}"`);
  const processOf = (name: string | undefined) => (name === undefined ? undefined : profiles[name]?.mfa_process);
  return {
    first,
    hops,
    mfaHop: resolved.mfaHop,
    mfaSerial: resolved.mfaSerial,
    credentialsProfile: first.profile,
    mfaProcess: processOf(profile) ?? processOf(resolved.mfaSerialProfile) ?? processOf(first.profile),
    cachedStarts: cachedStartsOf(resolved, fingerprintOf),
  };
}
