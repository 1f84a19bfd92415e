/** MFA session credentials as mfa-env keeps them: in the cache, in the environment, in files. */
export interface Session {
  /** The profile the user logged in with. */
  profile: string;
  /** `session`: STS GetSessionToken; `role`: STS AssumeRole. */
  kind: 'session' | 'role';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO-8601 UTC with `Z`, as STS returns it. */
  expiration: string;
  /** The profile's region, when it has one. */
  region?: string;
  /** The assumed role's ARN (role sessions), for the summary and `status`. */
  identityArn?: string;
  /** login --role-arn: the ad hoc role asked for (exported as MFA_ENV_ROLE_ARN); undefined for every other session. */
  adHocRoleArn?: string;
}

/** Milliseconds of validity left at `now` (negative when expired). */
export function timeLeftMs(session: Pick<Session, 'expiration'>, now = Date.now()): number {
  return Date.parse(session.expiration) - now;
}

/** `11h59m`, `42m`, `0m`: the same format as the prompt segment. */
export function formatTimeLeft(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
}

/** Unix epoch seconds of the expiry, for MFA_ENV_EXPIRES. */
export function expiresEpoch(session: Pick<Session, 'expiration'>): number {
  return Math.floor(Date.parse(session.expiration) / 1000);
}
