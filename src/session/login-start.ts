import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import type { AwsCredentials } from '../aws/sts.js';
import { readCachedSession, type Warn } from './cache.js';
import { CHAINED_ROLE_MAX_SECONDS, formatDuration } from './duration.js';
import type { LoginOptions } from './login.js';
import type { LoginPlan } from './plan.js';
import { obtainLoginCode } from './sts-session.js';

/** Where the hops of a role plan start: what signs hop `nextHop`, and the code if one is sent. */
export interface ChainStart {
  credentials: AwsCredentials;
  /** The profile whose credentials these are (for the error messages). */
  signerProfile: string;
  nextHop: number;
  /** Set when a cached MFA session of this profile stands in for the first hops (no code). */
  fromSession?: string;
  /** The code for hops[plan.mfaHop]. */
  code?: string;
}

/**
 * Whether the role must be assumed with the code, signed with the long-term keys: a cached
 * session can only chain, and AWS caps a chained role at 1 h. `required`: --token-code, or
 * --duration over 1 h. `preferred`: duration_seconds over 1 h on a single role; the cached
 * session still serves when no code can be had (no terminal, no mfa_process).
 */
function directRule(plan: LoginPlan, options: LoginOptions): 'required' | 'preferred' | 'none' {
  const long = plan.durationSeconds > CHAINED_ROLE_MAX_SECONDS;
  if (options.tokenCode !== undefined || (long && plan.durationFromFlag)) return 'required';
  return long && plan.hops.length === 1 ? 'preferred' : 'none';
}

/** The latest cached session that saves the code (plan.cachedStarts, made from the same settings). */
function cachedStart(plan: LoginPlan): ChainStart | undefined {
  for (const start of plan.cachedStarts) {
    // Quiet: an expired session of another profile is not news; that profile's own login says so.
    const session = readCachedSession(start.profile, start.fingerprint, () => {});
    if (session?.kind !== start.kind) continue;
    const { accessKeyId, secretAccessKey, sessionToken } = session;
    return { credentials: { accessKeyId, secretAccessKey, sessionToken }, signerProfile: start.profile, nextHop: start.nextHop, fromSession: start.profile };
  }
  return undefined;
}

/** The first credentials (the SDK's providers for what is not static keys), and the code when a hop needs one. */
async function startWithCode(
  plan: LoginPlan,
  context: { files: AwsFiles; profiles: Record<string, ProfileSettings> },
  options: LoginOptions,
  warn: Warn,
): Promise<ChainStart> {
  const { resolveFirstCredentials } = await import('../aws/credentials.js');
  const credentials = await resolveFirstCredentials(plan.first!, context.profiles, context.files, plan.stsRegion);
  const code = plan.mfaHop === undefined ? undefined : await obtainLoginCode(plan, plan.mfaSerial!, options.tokenCode, warn, options.env, options.noPrompt);
  return { credentials, signerProfile: plan.credentialsProfile, nextHop: 0, code };
}

async function isNoTerminal(error: unknown): Promise<boolean> {
  const { NoTerminalError } = await import('../mfa/prompt.js');
  return error instanceof NoTerminalError;
}

/** The start of a role plan's chain: a cached session where that saves the code and the rules allow it, else the code. */
export async function chainStart(
  plan: LoginPlan,
  context: { files: AwsFiles; profiles: Record<string, ProfileSettings> },
  options: LoginOptions,
  warn: Warn,
): Promise<ChainStart> {
  const rule = directRule(plan, options);
  const cached = rule === 'required' ? undefined : cachedStart(plan);
  if (cached && rule === 'none') return cached;
  try {
    return await startWithCode(plan, context, options, warn);
  } catch (error) {
    if (!cached || !(await isNoTerminal(error))) throw error;
    options.say(
      `a ${formatDuration(plan.durationSeconds)} role session needs a new MFA code (duration_seconds of profile "${plan.profile}"), and there is no terminal to ask on; using the cached MFA session instead`,
    );
    return cached;
  }
}
