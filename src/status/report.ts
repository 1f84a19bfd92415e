/**
 * What `mfa-env status` knows about the session in the environment, as one plain object:
 * printed as JSON for scripts (its fields are documented in the README) or as lines for people.
 */
import { awsFiles, loadAllProfiles } from '../aws/profiles.js';
import { maskKey } from '../secrets.js';
import { entryOfShellSession } from '../session/ad-hoc-entries.js';
import { readProfilesSnapshot } from '../session/profiles-snapshot.js';
import { expiryMs, foreignSessionProblem, readEnvironmentSession, type EnvironmentSession } from '../session/environment-session.js';
import { formatTimeLeft } from '../session/session.js';
import { AD_HOC_ROLE_VARIABLE } from '../session/variables.js';

export interface StatusReport {
  /** An mfa-env session is in the environment and has not expired. */
  active: boolean;
  profile: string | null;
  /** `session-token`: GetSessionToken; `role`: AssumeRole. */
  flow: 'session-token' | 'role' | null;
  /** Role sessions: the profile's role_arn. */
  roleArn: string | null;
  /** Role sessions: the assumed-role ARN STS returned (from the cache); with --verify: the caller ARN. */
  identityArn: string | null;
  /** AWS_ACCESS_KEY_ID, masked: ASIA…MPLE. */
  accessKeyId: string | null;
  region: string | null;
  /** Expiry as ISO-8601 UTC with Z, as local time with offset, and as epoch seconds. */
  expiration: string | null;
  expirationLocal: string | null;
  expiresEpoch: number | null;
  /** Whole seconds left (negative once expired) and the prompt's format: `11h59m`, `42m`, `expired`. */
  secondsLeft: number | null;
  timeLeft: string | null;
  expired: boolean;
  /** The cache holds this very session (same access key id). */
  cached: boolean;
  /** --verify: what STS GetCallerIdentity says about the credentials; null when not asked or failed. */
  verified: { arn: string | null; account: string | null; userId: string | null } | null;
  /** Why the session is not active (or why verification failed); null when all is well. */
  problem: string | null;
}

/** `2025-06-01T17:27:00+02:00`: local time with its offset, which `Date.toISOString` cannot show. */
export function localIso(ms: number): string {
  const date = new Date(ms);
  const offset = -date.getTimezoneOffset();
  const local = new Date(ms + offset * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** A report with nothing known yet: what the environment holds is filled in by statusReport. */
function emptyReport(session: EnvironmentSession): StatusReport {
  return {
    active: false,
    profile: session.profile ?? null,
    flow: null,
    roleArn: null,
    identityArn: null,
    accessKeyId: session.accessKeyId ? maskKey(session.accessKeyId) : null,
    region: session.region ?? null,
    expiration: null,
    expirationLocal: null,
    expiresEpoch: null,
    secondsLeft: null,
    timeLeft: null,
    expired: false,
    cached: false,
    verified: null,
    problem: null,
  };
}

/** The expiry fields, from the epoch milliseconds the environment gives. */
function setExpiry(report: StatusReport, expiry: number, now: number): void {
  report.expiration = new Date(expiry).toISOString().replace(/\.\d{3}Z$/, 'Z');
  report.expirationLocal = localIso(expiry);
  report.expiresEpoch = Math.floor(expiry / 1000);
  report.secondsLeft = Math.floor((expiry - now) / 1000);
  report.expired = expiry <= now;
  report.timeLeft = report.expired ? 'expired' : formatTimeLeft(expiry - now);
}

export async function statusReport(env: NodeJS.ProcessEnv, now = Date.now()): Promise<StatusReport> {
  const session = readEnvironmentSession(env);
  const report = emptyReport(session);
  const expiry = expiryMs(session);
  if (expiry !== undefined) setExpiry(report, expiry, now);
  if (session.profile === undefined && session.accessKeyId === undefined) {
    report.problem = 'no mfa-env session in this environment';
    return report;
  }
  const foreign = foreignSessionProblem(session);
  if (session.profile !== undefined) await describeFlow(report, session.profile, session.accessKeyId, env);
  if (foreign) report.problem = foreign;
  else if (report.expired) report.problem = `the session of profile ${session.profile} expired at ${report.expiration}`;
  else report.active = true;
  return report;
}

/**
 * Flow and ARNs: from the cache entry when it is this session, else from the profile's settings;
 * an ad hoc role session (MFA_ENV_ROLE_ARN) is that role, whatever the profile is.
 */
async function describeFlow(report: StatusReport, profile: string, accessKeyId: string | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  const adHocRoleArn = env[AD_HOC_ROLE_VARIABLE] || undefined;
  const entry = entryOfShellSession(profile, accessKeyId, adHocRoleArn);
  if (entry) {
    report.cached = true;
    report.flow = entry.session.kind === 'role' ? 'role' : 'session-token';
    report.identityArn = entry.session.identityArn ?? null;
  }
  if (adHocRoleArn !== undefined) {
    report.flow = 'role';
    report.roleArn = adHocRoleArn;
    return;
  }
  // The cache said GetSessionToken: no role_arn to look up, so no profile to read.
  if (report.flow === 'session-token') return;
  try {
    // status runs often (scripts, prompts): the loader's snapshot while the files are unchanged.
    const files = awsFiles(env);
    const settings = (readProfilesSnapshot(files) ?? (await loadAllProfiles(files)))[profile];
    if (settings) {
      report.flow ??= settings.role_arn ? 'role' : 'session-token';
      if (report.flow === 'role') report.roleArn = settings.role_arn ?? null;
    }
  } catch {
    // Unreadable config: status still shows what the environment says.
  }
}
