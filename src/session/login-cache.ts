import { awsFiles, resolveProfileName } from '../aws/profiles.js';
import type { EntryKey } from '../store/layout.js';
import { readCachedSession, writeCachedSession, type Warn } from './cache.js';
import { enterLoginChain } from './credential-process.js';
import type { LoginOptions, LoginResult } from './login.js';
import { withProfileLock } from './login-lock.js';
import { makePlan, planOptions, type LoginPlan } from './plan.js';
import { readProfilesSnapshot } from './profiles-snapshot.js';
import { CHAINED_ROLE_MAX_SECONDS, formatDuration } from './duration.js';
import { formatTimeLeft, timeLeftMs, type Session } from './session.js';

export type { Warn };

/** What one read of a profile's cache entry found: the session, and the warnings not yet said. */
export interface CacheLookup {
  fingerprint: string;
  session?: Session;
  warnings: string[];
}

/** The entry a plan's sessions are cached in: the profile's own, or an ad hoc role's (login --role-arn). */
export function entryKeyOf(plan: LoginPlan): EntryKey {
  return plan.adHoc === undefined ? plan.profile : { profile: plan.profile, adHoc: plan.adHoc };
}

/** What --duration D asks of a cached session: D left (1 h at most for a chain of roles, all it can get). */
function secondsWanted(plan: LoginPlan): number | undefined {
  if (!plan.durationFromFlag) return undefined;
  return plan.hops.length > 1 ? Math.min(plan.durationSeconds, CHAINED_ROLE_MAX_SECONDS) : plan.durationSeconds;
}

/**
 * The one cache lookup of a login; the warnings are collected so that they are said once, by
 * the caller. `slackMs`: how much less than --duration will do (a parallel login's fresh session).
 */
function lookUp(plan: LoginPlan, slackMs = 0): CacheLookup {
  const warnings: string[] = [];
  const found = readCachedSession(entryKeyOf(plan), plan.fingerprint, (message) => warnings.push(message));
  const wanted = secondsWanted(plan);
  const left = found ? timeLeftMs(found) : 0;
  if (found && wanted !== undefined && left + slackMs < wanted * 1000) {
    warnings.push(`not reusing the cached session of profile "${plan.profile}": it has ${formatTimeLeft(left)} left, less than --duration ${formatDuration(wanted)}; logging in again`);
    return { fingerprint: plan.fingerprint, warnings };
  }
  return { fingerprint: plan.fingerprint, session: found, warnings };
}

/**
 * Step 1: a login served from the cache without the SDK's loader (~30 ms of start-up): the
 * profiles come from the snapshot of its last output, valid while both AWS files are
 * unchanged. Only a hit is used at once; on a miss the lookup is handed on to step 3, which
 * says its warnings once the plan from the AWS files confirms the same settings.
 */
export async function cachedLoginFromSnapshot(options: LoginOptions): Promise<{ hit?: LoginResult; lookup?: CacheLookup }> {
  try {
    const profile = resolveProfileName(options.profile, options.env);
    const files = awsFiles(options.env);
    const profiles = readProfilesSnapshot(files);
    if (!profiles || !Object.hasOwn(profiles, profile)) return {};
    const plan = makePlan(profile, profiles, files, planOptions(options));
    await options.checkPlan?.(plan, profiles);
    const lookup = lookUp(plan);
    return lookup.session ? { hit: { session: lookup.session, plan, fromCache: true } } : { lookup };
  } catch {
    // Anything wrong goes the full way, which gives the error its authoritative text.
    return {};
  }
}

/**
 * Step 3, the cache as a provider around `makeSession` (aws-vault's shape): the cached session
 * of the plan's profile when there is one (one lookup, reused from step 1 when it was made for
 * the same settings; its warnings said once); else, under the profile's lock, the session a
 * parallel login stored while we waited, or a new one, stored.
 */
export async function cachedOr(
  plan: LoginPlan,
  options: LoginOptions & { earlier?: CacheLookup },
  warn: Warn,
  makeSession: () => Promise<Session>,
): Promise<LoginResult> {
  if (!options.force) {
    const lookup = options.earlier?.fingerprint === plan.fingerprint ? options.earlier : lookUp(plan);
    lookup.warnings.forEach((message) => warn(message));
    if (lookup.session) return { session: lookup.session, plan, fromCache: true };
  }
  // Before the lock: a credential_process loop back to this profile would wait for it forever.
  enterLoginChain(plan.profile, options.env);
  const onWait = () => options.say(`waiting for another mfa-env login of profile "${plan.profile}" to finish…`);
  const waitStarted = Date.now();
  return withProfileLock(entryKeyOf(plan), options.env, onWait, async () => {
    // What a parallel login stored while we waited (the lock's own re-check; warnings were said
    // above), with --duration less the wait and a minute: that login was asked the same.
    const stored = options.force ? undefined : lookUp(plan, Date.now() - waitStarted + 60_000).session;
    if (stored) return { session: stored, plan, fromCache: true };
    const made = await makeSession();
    const session = plan.adHoc === undefined ? made : { ...made, adHocRoleArn: plan.adHoc.roleArn };
    // A role can be renewed with the MFA session of the profile whose keys sign its first hop.
    writeCachedSession(session, plan.fingerprint, warn, plan.kind === 'role' ? plan.credentialsProfile : undefined, entryKeyOf(plan));
    return { session, plan, fromCache: false };
  });
}
