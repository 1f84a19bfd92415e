/**
 * How `exec --server` renews a role session without a code: the login flow again, which
 * assumes the role with the cached MFA session of its source (role chaining). Only while that
 * MFA session lives longer than the role session: otherwise a new session needs a code, and a
 * background renewal never asks for one.
 */
import { MfaEnvError } from '../errors.js';
import { readCachedSession } from '../session/cache.js';
import { login, type LoginResult } from '../session/login.js';
import type { Session } from '../session/session.js';

export interface RenewSettings {
  /** As given to exec (`--profile`, `--duration`, `--region`, `--role-arn`…), so the renewal resolves the same plan. */
  profile?: string;
  duration?: string;
  region?: string;
  roleArn?: string;
  sessionName?: string;
  externalId?: string;
  env: NodeJS.ProcessEnv;
}

/** A renew callback for the server, or undefined when the session is not a role with a source profile. */
export function roleRenewal(result: LoginResult, settings: RenewSettings): (() => Promise<Session>) | undefined {
  const { plan } = result;
  // The profile whose cached MFA session the role can be assumed with: the one whose keys sign.
  if (plan.kind !== 'role' || !plan.credentialsProfile) return undefined;
  const sourceProfile = plan.credentialsProfile;
  return async () => {
    const served = result.session;
    const source = readCachedSession(sourceProfile, undefined, () => {});
    if (source?.kind !== 'session' || Date.parse(source.expiration) <= Date.parse(served.expiration)) {
      throw new MfaEnvError(`no cached MFA session of profile "${sourceProfile}" outlives the role session, and a new one needs a code`);
    }
    // Quiet: the command's stderr is the command's; the login's notes are not news there.
    const quiet = { ...settings, say: () => {} };
    // A renewal made meanwhile (by a shell's prompt hook, another exec) is taken from the cache.
    const cached = await login(quiet);
    if (Date.parse(cached.session.expiration) > Date.parse(served.expiration)) return remember(result, cached.session);
    return remember(result, (await login({ ...quiet, force: true })).session);
  };
}

/** The next renewal compares against the session it replaced. */
function remember(result: LoginResult, session: Session): Session {
  result.session = session;
  return session;
}
