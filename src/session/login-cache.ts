import { awsFiles, resolveProfileName } from '../aws/profiles.js';
import { readCachedSession, writeCachedSession, type Warn } from './cache.js';
import { enterLoginChain } from './credential-process.js';
import type { LoginOptions, LoginResult } from './login.js';
import { withProfileLock } from './login-lock.js';
import { makePlan, type LoginPlan } from './plan.js';
import { readProfilesSnapshot } from './profiles-snapshot.js';
import type { Session } from './session.js';

export type { Warn };

/** What one read of a profile's cache entry found: the session, and the warnings not yet said. */
export interface CacheLookup {
  fingerprint: string;
  session?: Session;
  warnings: string[];
}

/** The one cache lookup of a login; the warnings are collected so that they are said once, by the caller. */
function lookUp(profile: string, fingerprint: string): CacheLookup {
  const warnings: string[] = [];
  const session = readCachedSession(profile, fingerprint, (message) => warnings.push(message));
  return { fingerprint, session, warnings };
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
    const plan = makePlan(profile, profiles, files, { duration: options.duration, env: options.env });
    await options.checkPlan?.(plan, profiles);
    const lookup = lookUp(profile, plan.fingerprint);
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
    const lookup = options.earlier?.fingerprint === plan.fingerprint ? options.earlier : lookUp(plan.profile, plan.fingerprint);
    lookup.warnings.forEach((message) => warn(message));
    if (lookup.session) return { session: lookup.session, plan, fromCache: true };
  }
  // Before the lock: a credential_process loop back to this profile would wait for it forever.
  enterLoginChain(plan.profile, options.env);
  const onWait = () => options.say(`waiting for another mfa-env login of profile "${plan.profile}" to finish…`);
  return withProfileLock(plan.profile, options.env, onWait, async () => {
    // What a parallel login stored while we waited (the lock's own re-check; warnings were said above).
    const stored = options.force ? undefined : lookUp(plan.profile, plan.fingerprint).session;
    if (stored) return { session: stored, plan, fromCache: true };
    const session = await makeSession();
    writeCachedSession(session, plan.fingerprint, warn, plan.sourceProfile);
    return { session, plan, fromCache: false };
  });
}
