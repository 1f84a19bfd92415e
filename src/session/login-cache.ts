import { awsFiles, resolveProfileName } from '../aws/profiles.js';
import { readCachedSession, writeCachedSession, type Warn } from './cache.js';
import { enterLoginChain } from './credential-process.js';
import type { LoginOptions, LoginResult } from './login.js';
import { withProfileLock } from './login-lock.js';
import { makePlan, type LoginPlan } from './plan.js';
import { readProfilesSnapshot } from './profiles-snapshot.js';
import type { Session } from './session.js';

export type { Warn };

/**
 * Step 1: a login served from the cache without the SDK's loader (~30 ms of start-up): the
 * profiles come from the snapshot of its last output, valid while both AWS files are
 * unchanged. Only a hit is used; a miss or an error goes the full way with a fresh read, which
 * gives any warning or error its authoritative text, so this lookup is silent.
 */
export async function cachedLoginFromSnapshot(options: LoginOptions): Promise<LoginResult | undefined> {
  try {
    const profile = resolveProfileName(options.profile, options.env);
    const files = awsFiles(options.env);
    const profiles = readProfilesSnapshot(files);
    if (!profiles || !Object.hasOwn(profiles, profile)) return undefined;
    const plan = makePlan(profile, profiles, files, { duration: options.duration, env: options.env });
    await options.checkPlan?.(plan, profiles);
    const session = readCachedSession(profile, plan.fingerprint, () => {});
    return session ? { session, plan, fromCache: true } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Step 3, the cache as a provider around `makeSession` (aws-vault's shape): the cached session
 * of the plan's profile when there is one (one lookup, its warnings said once); else, under the
 * profile's lock, the session a parallel login stored while we waited, or a new one, stored.
 */
export async function cachedOr(plan: LoginPlan, options: LoginOptions, warn: Warn, makeSession: () => Promise<Session>): Promise<LoginResult> {
  if (!options.force) {
    const cached = readCachedSession(plan.profile, plan.fingerprint, warn);
    if (cached) return { session: cached, plan, fromCache: true };
  }
  // Before the lock: a credential_process loop back to this profile would wait for it forever.
  enterLoginChain(plan.profile, options.env);
  const onWait = () => options.say(`waiting for another mfa-env login of profile "${plan.profile}" to finish…`);
  return withProfileLock(plan.profile, options.env, onWait, async () => {
    // What a parallel login stored while we waited; the lookup above already gave any warning.
    const stored = options.force ? undefined : readCachedSession(plan.profile, plan.fingerprint, () => {});
    if (stored) return { session: stored, plan, fromCache: true };
    const session = await makeSession();
    writeCachedSession(session, plan.fingerprint, warn);
    return { session, plan, fromCache: false };
  });
}
