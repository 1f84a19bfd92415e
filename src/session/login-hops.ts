import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import type { AwsCredentials, SessionCall } from '../aws/sts.js';
import type { Warn } from './cache.js';
import { CHAINED_ROLE_MAX_SECONDS, formatDuration } from './duration.js';
import { chainStart, type ChainStart } from './login-start.js';
import type { LoginOptions } from './login.js';
import type { LoginPlan } from './plan.js';
import type { Session } from './session.js';
import { giveBackCode, sessionFromStsCall } from './sts-session.js';

/**
 * A role plan, executed: from where the chain starts (a cached session that saves the code, or
 * the first credentials with the code: login-start.ts), one AssumeRole per remaining hop, each
 * signed with the previous hop's session; the code goes with the hop that has the device.
 */
export async function sessionFromRoleHops(
  plan: LoginPlan,
  context: { files: AwsFiles; profiles: Record<string, ProfileSettings> },
  options: LoginOptions,
  warn: Warn,
): Promise<Session> {
  const start = await chainStart(plan, context, options, warn);
  sayChainingCap(plan, start, options.say);
  let credentials: AwsCredentials = start.credentials;
  let signer = start.signerProfile;
  let session: Session | undefined;
  for (let index = start.nextHop; index < plan.hops.length; index++) {
    const target = { configProfile: plan.profile, region: plan.stsRegion, credentials, env: options.env };
    try {
      session = await sessionFromStsCall(target, hopCall(plan, index, start), { plan, credentialsProfile: signer });
    } catch (error) {
      // A hop before the one with the device failed: the code was never sent, so it is not spent.
      if (start.code !== undefined && index < plan.mfaHop!) await giveBackCode(plan.mfaSerial!, start.code);
      throw error;
    }
    // Only the keys: the SDK takes an `expiration` in credentials for a Date.
    credentials = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
    signer = plan.hops[index]!.profile;
  }
  return session!;
}

/** A hop assumed with session credentials (not the long-term keys) is role chaining: at most 1 h. */
function isChained(index: number, start: ChainStart): boolean {
  return index > 0 || start.fromSession !== undefined;
}

function hopCall(plan: LoginPlan, index: number, start: ChainStart): SessionCall {
  const hop = plan.hops[index]!;
  const asked = hop.durationSeconds;
  const durationSeconds = asked !== undefined && isChained(index, start) ? Math.min(asked, CHAINED_ROLE_MAX_SECONDS) : asked;
  const code = index === plan.mfaHop && start.code !== undefined ? { serial: plan.mfaSerial!, code: start.code } : {};
  return { operation: 'AssumeRole', roleArn: hop.roleArn, sessionName: hop.sessionName, externalId: hop.externalId, durationSeconds, ...code };
}

/** Says where the session comes from when a cached session saves the code, and when chaining shortens it. */
function sayChainingCap(plan: LoginPlan, start: ChainStart, say: (message: string) => void): void {
  const last = plan.hops.length - 1;
  const capped = isChained(last, start) && plan.durationSeconds > CHAINED_ROLE_MAX_SECONDS;
  const cap = `role chaining allows at most ${formatDuration(CHAINED_ROLE_MAX_SECONDS)}` +
    (capped ? `, so ${formatDuration(CHAINED_ROLE_MAX_SECONDS)} instead of ${formatDuration(plan.durationSeconds)}` : '');
  if (start.fromSession !== undefined) {
    const hop = plan.hops[start.nextHop]!;
    say(`assuming ${hop.roleArn} with the cached MFA session of profile "${start.fromSession}" (no new code; ${cap})`);
  } else if (capped) {
    say(`profile "${plan.profile}" is a chain of ${plan.hops.length} roles: ${cap}`);
  }
}
