import { ensureCacheDir } from '../store/cache-dir.js';
import { renewLockPath } from '../store/layout.js';
import { withLock } from '../store/lock.js';
import { readEntry } from '../session/cache.js';
import { login } from '../session/login.js';
import { expiresEpoch } from '../session/session.js';
import { AD_HOC_ROLE_VARIABLE } from '../session/variables.js';

/** A renewal that finds the lock held waits this long for the other one, then leaves it to it. */
const WAIT_FOR_OTHER_RENEWAL_MS = 120_000;

/**
 * The background renewal the prompt hook starts (sessions that follow you): a new role session
 * from the source's cached MFA session, never a code. Under the profile's renew lock, and only
 * while the cache still holds nothing newer than `after` (the shell's MFA_ENV_EXPIRES): two
 * shells that start one each make one STS call, and the second finds the first's session.
 * The shells take the new session over at their next prompt, from the follow file.
 */
export async function renewInBackground(profile: string, after: number, env: NodeJS.ProcessEnv): Promise<boolean> {
  // An ad hoc role session (login --role-arn) is never renewed here: its profile's entry and
  // follow file are another session's, which a renewal from this shell must not replace.
  if (env[AD_HOC_ROLE_VARIABLE]) return false;
  const lock = renewLockPath(profile, ensureCacheDir());
  const wait = { waitMs: WAIT_FOR_OTHER_RENEWAL_MS, pollMs: 200, timeout: () => new Error('another renewal is still running') };
  return withLock(lock, wait, async () => {
    const stored = readEntry(profile, () => {})?.session;
    if (stored && expiresEpoch(stored) > after) return false;
    await login({ profile, force: true, noPrompt: true, env, say: () => {} });
    return true;
  });
}
