import { MfaEnvError } from '../errors.js';
import type { SessionCall, StsTarget } from '../aws/sts.js';
import type { Warn } from './cache.js';
import type { LoginPlan } from './plan.js';
import type { Session } from './session.js';

/**
 * The MFA code's life in a login: obtained and claimed (recorded as spent) in src/mfa, sent by
 * the one STS helper in src/aws/sts.ts, and given back here when the request provably never
 * left this machine. This is the place to add code sources (a GUI prompt program, a key from
 * the keyring): src/mfa/code.ts's obtainCode picks among them.
 */
export async function obtainLoginCode(plan: LoginPlan, serial: string, flagCode: string | undefined, warn: Warn, env: NodeJS.ProcessEnv, noPrompt = false): Promise<string> {
  // A background renewal (noPrompt) never asks: without a cached session to chain from, it fails.
  if (noPrompt && flagCode === undefined) throw new MfaEnvError(`profile "${plan.profile}" cannot be renewed without an MFA code`, 'Log in with a code: mfa-env login --force');
  const { obtainCode } = await import('../mfa/code.js');
  // promptProgram: the profile's mfa_prompt (or MFA_ENV_PROMPT), used when there is no terminal.
  return obtainCode({ profile: plan.profile, serial, flagCode, mfaProcess: plan.mfaProcess, promptProgram: plan.promptProgram, env, warn });
}

/**
 * One STS call that hands out a session, as a Session of the plan's profile. A code that was
 * recorded as spent is forgotten again when AWS never saw it (DNS failure, connection
 * refused), so the user may send it again; that decision lives here, with the code, not in aws/.
 */
export async function sessionFromStsCall(
  target: StsTarget,
  call: SessionCall,
  names: { plan: LoginPlan; credentialsProfile: string },
): Promise<Session> {
  const { requestNeverSent, requestSessionCredentials } = await import('../aws/sts.js');
  const { plan } = names;
  try {
    const answer = await requestSessionCredentials(target, call, { profile: plan.profile, credentialsProfile: names.credentialsProfile });
    const { assumedRoleArn, ...credentials } = answer;
    // The key order of the entries older versions wrote.
    const base = call.operation === 'AssumeRole'
      ? { profile: plan.profile, kind: 'role' as const, region: plan.region, identityArn: assumedRoleArn }
      : { profile: plan.profile, kind: 'session' as const, region: plan.region };
    return { ...base, ...credentials };
  } catch (error) {
    if (call.serial && call.code && requestNeverSent(error)) await giveBackCode(call.serial, call.code);
    throw error;
  }
}

/** Forgets that `code` was spent (it never reached AWS), so the user may send it again. */
export async function giveBackCode(serial: string, code: string): Promise<void> {
  const { forgetCodeUse } = await import('../mfa/reuse.js');
  try {
    await forgetCodeUse(serial, code);
  } catch {
    // best effort: at worst the user waits for the next code
  }
}
