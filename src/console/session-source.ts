import { MfaEnvError } from '../errors.js';
import { awsFiles, loadAllProfiles, resolveProfileName } from '../aws/profiles.js';
import { entryOfShellSession } from '../session/ad-hoc-entries.js';
import { expiryMs, foreignSessionProblem, readEnvironmentSession } from '../session/environment-session.js';
import { login } from '../session/login.js';
import { readProfilesSnapshot } from '../session/profiles-snapshot.js';
import { AD_HOC_ROLE_VARIABLE } from '../session/variables.js';
import type { ConsoleCredentials } from './federation.js';
import { assertRegion, consoleSignInPage, partitionOf } from './partition.js';

/** The session the console is opened with, and what is known about it without a network call. */
export interface ConsoleSession {
  profile: string;
  credentials: ConsoleCredentials;
  /** `role`: AssumeRole; `session`: GetSessionToken; undefined when neither the cache nor the profile tells. */
  kind?: 'role' | 'session';
  region: string;
  identityArn?: string;
  /** Where it came from: the shell's own variables, the cache, or a new login. */
  origin: 'environment' | 'cache' | 'login';
}

const DEFAULT_REGION = 'us-east-1';

/**
 * The session to sign in with: the shell's own (its variables, set by `mfa-env login` for this
 * profile, not expired), else the profile's cached session, else a new login. A GetSessionToken
 * session is refused here, before any network call and before a code is asked for.
 */
export async function consoleSession(options: { profile?: string; env: NodeJS.ProcessEnv; say: (message: string) => void }): Promise<ConsoleSession> {
  const { env } = options;
  const profile = resolveProfileName(options.profile, env);
  const own = await environmentSession(profile, env);
  if (own) {
    if (own.kind === 'session') throw sessionTokenRefused(profile, own.region, own.identityArn);
    return own;
  }
  const result = await login({
    profile,
    env,
    say: options.say,
    // Before the cache and any network call: no code is asked for a session the console refuses.
    checkPlan: (plan) => {
      const region = plan.region ?? plan.stsRegion;
      if (plan.kind === 'session') throw sessionTokenRefused(profile, region);
      assertRegion(region, `the region of profile "${profile}"`);
    },
  });
  const { session, plan, fromCache } = result;
  const { accessKeyId, secretAccessKey, sessionToken } = session;
  return {
    profile,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    kind: session.kind,
    region: session.region ?? plan.stsRegion,
    identityArn: session.identityArn,
    origin: fromCache ? 'cache' : 'login',
  };
}

/** This shell's mfa-env session of `profile`, when it is whole and not expired. */
async function environmentSession(profile: string, env: NodeJS.ProcessEnv): Promise<ConsoleSession | undefined> {
  const found = readEnvironmentSession(env);
  const expiry = expiryMs(found);
  if (found.profile !== profile || foreignSessionProblem(found) !== undefined || expiry === undefined || expiry <= Date.now()) return undefined;
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, sessionToken: env.AWS_SESSION_TOKEN! };
  // The cache entry knows the flow when it holds this very session; else an ad hoc role's
  // MFA_ENV_ROLE_ARN or the profile's role_arn tells.
  const adHocRoleArn = env[AD_HOC_ROLE_VARIABLE] || undefined;
  const cached = entryOfShellSession(profile, credentials.accessKeyId, adHocRoleArn)?.session;
  return {
    profile,
    credentials,
    kind: cached?.kind ?? (adHocRoleArn !== undefined ? 'role' : await kindFromProfile(profile, env)),
    region: found.region ?? cached?.region ?? DEFAULT_REGION,
    identityArn: cached?.identityArn,
    origin: 'environment',
  };
}

async function kindFromProfile(profile: string, env: NodeJS.ProcessEnv): Promise<'role' | 'session' | undefined> {
  try {
    const files = awsFiles(env);
    const settings = (readProfilesSnapshot(files) ?? (await loadAllProfiles(files)))[profile];
    return settings ? (settings.role_arn ? 'role' : 'session') : undefined;
  } catch {
    return undefined; // unreadable files: the federation endpoint decides
  }
}

/** AWS accepts only AssumeRole and GetFederationToken sessions for console sign-in: say so, and what works. */
export function sessionTokenRefused(profile: string, region: string, identityArn?: string): MfaEnvError {
  let signInPage: string;
  try {
    signInPage = consoleSignInPage(partitionOf(region, identityArn));
  } catch {
    signInPage = consoleSignInPage('aws');
  }
  return new MfaEnvError(
    `profile "${profile}" has a GetSessionToken session, and the AWS console refuses those for sign-in: its federation endpoint takes only role (AssumeRole) and federation-token sessions`,
    [
      `What works: a role profile in ~/.aws/config, e.g. [profile ${profile}-admin] with role_arn = ARN, source_profile = ${profile} and mfa_serial,`,
      `then \`mfa-env console --profile ${profile}-admin\`; or sign in to the console itself with the IAM user's password and MFA device: ${signInPage}`,
    ].join('\n'),
  );
}
