import { MfaEnvError } from '../errors.js';
import type { AwsFiles } from '../aws/profiles.js';
import type { AwsCredentials, StsTarget } from '../aws/sts.js';
import { readCachedSession, type Warn } from './cache.js';
import { discoverSerial } from './discover-serial.js';
import { CHAINED_ROLE_MAX_SECONDS, formatDuration } from './duration.js';
import type { LoginOptions } from './login.js';
import { LONG_TERM_SUFFIX, type LoginPlan } from './plan.js';
import type { Session } from './session.js';
import { obtainLoginCode, sessionFromStsCall } from './sts-session.js';

/**
 * The ways of making a session that the cache does not have: each takes the plan and returns a
 * Session, over the one STS helper (sts-session.ts → aws/sts.ts).
 */

function stsTarget(plan: LoginPlan, credentials: AwsCredentials, env: NodeJS.ProcessEnv): StsTarget {
  return { configProfile: plan.profile, region: plan.stsRegion, credentials, env };
}

/**
 * A role profile whose source profile has a cached MFA session: AssumeRole with that session,
 * no new code (role chaining, at most one hour). Undefined when there is no such session.
 */
export async function sessionFromCachedMfaSession(plan: LoginPlan, options: LoginOptions, warn: Warn): Promise<Session | undefined> {
  if (plan.kind !== 'role' || !plan.sourceProfile) return undefined;
  const source = readCachedSession(plan.sourceProfile, undefined, warn);
  if (source?.kind !== 'session') return undefined;
  const durationSeconds = Math.min(plan.durationSeconds, CHAINED_ROLE_MAX_SECONDS);
  options.say(
    `assuming ${plan.roleArn} with the cached MFA session of profile "${plan.sourceProfile}" (no new code; role chaining allows at most ${formatDuration(CHAINED_ROLE_MAX_SECONDS)}` +
      (durationSeconds < plan.durationSeconds ? `, so ${formatDuration(durationSeconds)} instead of ${formatDuration(plan.durationSeconds)})` : ')'),
  );
  const { accessKeyId, secretAccessKey, sessionToken } = source;
  const target = stsTarget(plan, { accessKeyId, secretAccessKey, sessionToken }, options.env);
  const call = { operation: 'AssumeRole', roleArn: plan.roleArn!, sessionName: plan.roleSessionName!, externalId: plan.externalId, durationSeconds } as const;
  return sessionFromStsCall(target, call, { plan, credentialsProfile: plan.sourceProfile });
}

async function longTermCredentials(plan: LoginPlan, files: AwsFiles): Promise<AwsCredentials> {
  const { resolveSourceCredentials } = await import('../aws/credentials.js');
  const credentials = await resolveSourceCredentials(plan.credentialsProfile, files);
  if (plan.kind === 'session' && credentials.sessionToken) {
    throw new MfaEnvError(
      `profile "${plan.credentialsProfile}" resolves to session credentials, but GetSessionToken needs long-term access keys`,
      `Put the IAM user's long-term keys (AKIA…) in [${plan.credentialsProfile}] in ${files.credentialsFile}. If [${plan.credentialsProfile}] is a session written there (--write-profile, aws-mfa), log in with the profile that holds the long-term keys, or move them to [${plan.credentialsProfile}${LONG_TERM_SUFFIX}].`,
    );
  }
  return credentials;
}

/** STS with a code: the long-term keys, the device (or IAM's only one), a claimed code, one call. */
export async function sessionFromSts(plan: LoginPlan, files: AwsFiles, options: LoginOptions, warn: Warn): Promise<Session> {
  const target = stsTarget(plan, await longTermCredentials(plan, files), options.env);
  const serial = plan.mfaSerial ?? (await discoverSerial(plan, target, files, options.say));
  const code = await obtainLoginCode(plan, serial, options.tokenCode, warn, options.env);
  const call =
    plan.kind === 'role'
      ? ({ operation: 'AssumeRole', roleArn: plan.roleArn!, sessionName: plan.roleSessionName!, externalId: plan.externalId, serial, code, durationSeconds: plan.durationSeconds } as const)
      : ({ operation: 'GetSessionToken', serial, code, durationSeconds: plan.durationSeconds } as const);
  return sessionFromStsCall(target, call, { plan, credentialsProfile: plan.credentialsProfile });
}
