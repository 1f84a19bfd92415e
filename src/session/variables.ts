import type { Shell } from '../shells/index.js';
import { expiresEpoch, type Session } from './session.js';

/**
 * Variables that would override or contradict exported keys: the JS SDK ignores exported keys
 * while AWS_PROFILE is set, and botocore reads AWS_SECURITY_TOKEN as an old name for the token.
 */
export const CONFLICTING_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SECURITY_TOKEN',
  'AWS_SESSION_EXPIRATION',
] as const;

export const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/**
 * Set only by a login --role-arn (an ad hoc role session, cached apart from the profile's own):
 * the shell integration neither follows nor renews a shell that has it. Every other login unsets it.
 */
export const AD_HOC_ROLE_VARIABLE = 'MFA_ENV_ROLE_ARN';

export const SESSION_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'MFA_ENV_PROFILE',
  'MFA_ENV_EXPIRES',
  AD_HOC_ROLE_VARIABLE,
] as const;

/** Every variable `login` may set or unset; `clear` removes them all. */
export const ALL_VARIABLES = [...SESSION_VARIABLES, ...REGION_VARIABLES, ...CONFLICTING_VARIABLES] as const;

/** The environment a session defines: names to values, in the order they are printed. */
export function sessionEnvironment(session: Session): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: session.accessKeyId,
    AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
    AWS_SESSION_TOKEN: session.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    MFA_ENV_PROFILE: session.profile,
    MFA_ENV_EXPIRES: String(expiresEpoch(session)),
  };
  if (session.adHocRoleArn !== undefined) env[AD_HOC_ROLE_VARIABLE] = session.adHocRoleArn;
  if (session.region) {
    env.AWS_REGION = session.region;
    env.AWS_DEFAULT_REGION = session.region;
  }
  return env;
}

/**
 * Shell code for `login`: unset what conflicts (and MFA_ENV_ROLE_ARN, unless this is an ad hoc
 * role session), then export the session. One statement a line.
 */
export function loginStatements(session: Session, shell: Shell): string {
  const lines = CONFLICTING_VARIABLES.map((name) => shell.unsetVar(name));
  if (session.adHocRoleArn === undefined) lines.push(shell.unsetVar(AD_HOC_ROLE_VARIABLE));
  for (const [name, value] of Object.entries(sessionEnvironment(session))) {
    lines.push(shell.exportVar(name, value));
  }
  return `${lines.join('\n')}\n`;
}

/** Shell code for `clear`: unset everything `login` can set. */
export function clearStatements(shell: Shell): string {
  return `${ALL_VARIABLES.map((name) => shell.unsetVar(name)).join('\n')}\n`;
}
