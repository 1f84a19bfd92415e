import type { ProfileSettings } from '../aws/profiles.js';
import { cachedLoginFromSnapshot, cachedOr, type Warn } from './login-cache.js';
import { resolveLoginPlan } from './login-plan.js';
import { sessionFromRoleHops } from './login-hops.js';
import { sessionFromSts } from './login-sources.js';
import type { SessionFlags } from './plan-flags.js';
import type { LoginPlan } from './plan.js';
import { formatTimeLeft, timeLeftMs, type Session } from './session.js';

export interface LoginOptions extends SessionFlags {
  profile?: string;
  duration?: string;
  /** A format-checked code (from --token-code or stdin). */
  tokenCode?: string;
  force?: boolean;
  env: NodeJS.ProcessEnv;
  /** Progress and notes for the user (stderr). */
  say: (message: string) => void;
  /** Runs on the plan before the cache and any network call (login --write-profile checks its target here). */
  checkPlan?: (plan: LoginPlan, profiles: Record<string, ProfileSettings>) => void | Promise<void>;
  /** Never ask for a code (a background renewal): only a role chained from a cached MFA session will do. */
  noPrompt?: boolean;
}

export interface LoginResult {
  session: Session;
  plan: LoginPlan;
  fromCache: boolean;
}

/**
 * The login flow as small steps, used by login, exec and credential-process:
 *   1. the snapshot fast path: a cache hit without loading the SDK's profile loader;
 *   2. the plan, resolved once from the AWS files (all validation, no network);
 *   3. the cache, as a provider wrapped around the ones that make a session (login-cache.ts):
 *      one lookup (step 1's, when it had one), then under the profile's lock the re-check
 *      that finds a parallel login's session;
 *   4. a session plan: GetSessionToken with a code; a role plan: its hops, from the latest
 *      cached MFA session that saves the code, else from the first credentials with the code.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const warn: Warn = (message) => options.say(`warning: ${message}`);
  const { hit, lookup } = options.force ? {} : await cachedLoginFromSnapshot(options);
  if (hit) return hit;
  const { plan, files, profiles } = await resolveLoginPlan(options);
  return cachedOr(plan, { ...options, earlier: lookup }, warn, async () => {
    if (plan.kind === 'role') return sessionFromRoleHops(plan, { files, profiles }, options, warn);
    return sessionFromSts(plan, files, options, warn);
  });
}

/** `profile dev: MFA session until 17:27 (11h59m left)`, the one-line summary after a login. */
export function summary(result: LoginResult): string {
  const { session } = result;
  const what = session.kind === 'role' ? `role ${session.identityArn ?? result.plan.roleArn}` : 'MFA session';
  // Local 24-hour HH:MM by hand: toLocaleTimeString loads ICU locale data, ~12 ms of every login.
  const expiry = new Date(session.expiration);
  const until = `${String(expiry.getHours()).padStart(2, '0')}:${String(expiry.getMinutes()).padStart(2, '0')}`;
  const left = formatTimeLeft(timeLeftMs(session));
  return `profile ${session.profile}: ${what} until ${until} (${left} left)${result.fromCache ? ', from the cache' : ''}`;
}
