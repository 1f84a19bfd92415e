import { MfaEnvError } from '../errors.js';
import type { AwsFiles } from '../aws/profiles.js';
import type { AwsCredentials, StsTarget } from '../aws/sts.js';
import type { Warn } from './cache.js';
import { discoverSerial } from './discover-serial.js';
import type { LoginOptions } from './login.js';
import { LONG_TERM_SUFFIX, type LoginPlan } from './plan.js';
import type { Session } from './session.js';
import { obtainLoginCode, sessionFromStsCall } from './sts-session.js';

/**
 * GetSessionToken, for a plan of kind `session` (roles and chains: login-hops.ts), over the one
 * STS helper (sts-session.ts → aws/sts.ts).
 */

function stsTarget(plan: LoginPlan, credentials: AwsCredentials, env: NodeJS.ProcessEnv): StsTarget {
  return { configProfile: plan.profile, region: plan.stsRegion, credentials, env };
}

async function longTermCredentials(plan: LoginPlan, files: AwsFiles): Promise<AwsCredentials> {
  const { resolveSourceCredentials } = await import('../aws/credentials.js');
  const credentials = await resolveSourceCredentials(plan.credentialsProfile, files);
  if (credentials.sessionToken) {
    throw new MfaEnvError(
      `profile "${plan.credentialsProfile}" resolves to session credentials, but GetSessionToken needs long-term access keys`,
      `Put the IAM user's long-term keys (AKIA…) in [${plan.credentialsProfile}] in ${files.credentialsFile}. If [${plan.credentialsProfile}] is a session written there (--write-profile, aws-mfa), log in with the profile that holds the long-term keys, or move them to [${plan.credentialsProfile}${LONG_TERM_SUFFIX}].`,
    );
  }
  return credentials;
}

/** A session plan: GetSessionToken with the long-term keys, the device (or IAM's only one) and a claimed code. */
export async function sessionFromSts(plan: LoginPlan, files: AwsFiles, options: LoginOptions, warn: Warn): Promise<Session> {
  const target = stsTarget(plan, await longTermCredentials(plan, files), options.env);
  const serial = plan.mfaSerial ?? (await discoverSerial(plan, target, files, options.say));
  const code = await obtainLoginCode(plan, serial, options.tokenCode, warn, options.env, options.noPrompt);
  const call = { operation: 'GetSessionToken', serial, code, durationSeconds: plan.durationSeconds } as const;
  return sessionFromStsCall(target, call, { plan, credentialsProfile: plan.credentialsProfile });
}
