/**
 * The session a shell holds, read back from its environment: what `status` shows and what
 * `doctor` checks. mfa-env's own sessions carry MFA_ENV_PROFILE and MFA_ENV_EXPIRES next to
 * the keys; keys without them were put there by another tool (aws-vault, awsume, granted…).
 */
export interface EnvironmentSession {
  /** MFA_ENV_PROFILE: set only by mfa-env. */
  profile?: string;
  accessKeyId?: string;
  hasSecretKey: boolean;
  hasSessionToken: boolean;
  /** MFA_ENV_EXPIRES as epoch seconds, when it is a number. */
  expiresEpoch?: number;
  /** AWS_CREDENTIAL_EXPIRATION as epoch milliseconds, when it parses as a date. */
  credentialExpirationMs?: number;
  region?: string;
}

export function readEnvironmentSession(env: NodeJS.ProcessEnv): EnvironmentSession {
  const expires = env.MFA_ENV_EXPIRES?.trim();
  const credentialExpiration = env.AWS_CREDENTIAL_EXPIRATION ? Date.parse(env.AWS_CREDENTIAL_EXPIRATION) : NaN;
  return {
    profile: env.MFA_ENV_PROFILE || undefined,
    accessKeyId: env.AWS_ACCESS_KEY_ID || undefined,
    hasSecretKey: Boolean(env.AWS_SECRET_ACCESS_KEY),
    hasSessionToken: Boolean(env.AWS_SESSION_TOKEN),
    expiresEpoch: expires && /^\d{1,12}$/.test(expires) ? Number(expires) : undefined,
    credentialExpirationMs: Number.isNaN(credentialExpiration) ? undefined : credentialExpiration,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
  };
}

/** When the session expires, in epoch milliseconds: MFA_ENV_EXPIRES first, else AWS_CREDENTIAL_EXPIRATION. */
export function expiryMs(session: EnvironmentSession): number | undefined {
  if (session.expiresEpoch !== undefined) return session.expiresEpoch * 1000;
  return session.credentialExpirationMs;
}

/**
 * Why the environment's session variables are not one consistent mfa-env session, or
 * undefined when they are (or when there are none). `login` writes all of them together
 * and `clear` removes all of them, so a mismatch means something else changed them.
 */
export function foreignSessionProblem(session: EnvironmentSession): string | undefined {
  if (session.accessKeyId === undefined && session.profile === undefined) return undefined;
  if (session.profile === undefined) {
    return 'AWS_ACCESS_KEY_ID is set but MFA_ENV_PROFILE is not: these credentials were set by another tool (or by hand), not by mfa-env';
  }
  if (session.accessKeyId === undefined) {
    return `MFA_ENV_PROFILE=${session.profile} is set but AWS_ACCESS_KEY_ID is not: the session was partly unset`;
  }
  if (!session.hasSecretKey || !session.hasSessionToken) {
    return 'AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN is missing next to AWS_ACCESS_KEY_ID: the session was partly unset';
  }
  if (session.expiresEpoch === undefined) return 'MFA_ENV_EXPIRES is missing or not a number';
  // Another tool that replaces the keys sets its own AWS_CREDENTIAL_EXPIRATION (aws-vault does), or none.
  if (session.credentialExpirationMs === undefined) {
    return 'AWS_CREDENTIAL_EXPIRATION is missing next to MFA_ENV_EXPIRES: another tool replaced or unset the session';
  }
  if (Math.abs(session.credentialExpirationMs - session.expiresEpoch * 1000) > 1000) {
    return 'AWS_CREDENTIAL_EXPIRATION does not match MFA_ENV_EXPIRES: another tool replaced the keys after mfa-env set them';
  }
  return undefined;
}
