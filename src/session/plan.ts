import { userInfo } from 'node:os';
import type { FirstCredentials } from '../aws/role-chain.js';
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import type { AdHocRole } from '../store/layout.js';
import { promptProgramFor, type PromptProgram } from '../mfa/prompt-programs/names.js';
import { checkSessionFlags, type SessionFlags } from './plan-flags.js';
import { rolePlanParts, type CachedStart, type PlanHop } from './plan-roles.js';
import { sessionPlan } from './plan-session.js';

/** Everything a login needs to know, worked out from the profile before any network call. */
export interface LoginPlan {
  profile: string;
  /** `session`: GetSessionToken; `role`: AssumeRole. */
  kind: 'session' | 'role';
  /** The profile whose long-term keys sign the STS call. */
  credentialsProfile: string;
  /** The MFA device; undefined: sessions discover it with iam:ListMFADevices, roles send no code. */
  mfaSerial?: string;
  mfaProcess?: string;
  /** mfa_prompt, else MFA_ENV_PROMPT: the program that asks for the code when there is no terminal. */
  promptProgram?: PromptProgram;
  roleArn?: string;
  externalId?: string;
  roleSessionName?: string;
  /** Role profiles: the profile whose cached MFA session can assume the role without a new code. */
  sourceProfile?: string;
  durationSeconds: number;
  /** --region, else the profile's own region (exported as AWS_REGION when set). */
  region?: string;
  /** The region STS is called in (every hop): the one above, else AWS_REGION, else us-east-1. */
  stsRegion: string;
  /**
   * login --role-arn: the ad hoc role's settled settings. Its sessions have a cache entry and a
   * lock of their own (store/layout.ts) and no follow file; undefined for every other login.
   */
  adHoc?: AdHocRole;
  /** The settings a session depends on, as one string: a cached session made from others is not reused. */
  fingerprint: string;
  /**
   * The [NAME-long-term] layout: the profile the session is written to when `--write-profile`
   * is not given (NAME itself). Undefined for every other layout.
   */
  writeProfileDefault?: string;
  /** Role plans: where the first hop's credentials come from. */
  first?: FirstCredentials;
  /** Role plans: the AssumeRole calls, first to last (the last gives the session); [] for sessions. */
  hops: PlanHop[];
  /** Index into hops of the call that sends the code; undefined: no hop needs one. */
  mfaHop?: number;
  /** Cached sessions that can stand in for the first hops, latest first (plan-roles.ts). */
  cachedStarts: CachedStart[];
  /** The duration came from --duration (a cached session must have that much left). */
  durationFromFlag: boolean;
}

/** aws-mfa's convention: the IAM user's keys for [NAME] live in [NAME-long-term]. */
export const LONG_TERM_SUFFIX = '-long-term';

/**
 * The [NAME-long-term] layout (aws-mfa's): when [NAME] holds only a short-term session, or no
 * keys at all, and [NAME-long-term] exists, the latter is the source (its keys, its
 * mfa_serial, or aws-mfa's aws_mfa_device) and [NAME] is where the session goes. Returns
 * NAME-long-term when the layout applies. A [NAME] configured any other way (its own long-term
 * keys, a role, source_profile, SSO, credential_process) keeps the usual rules. This is also
 * what keeps a re-run working: the session written into [NAME] is short-term, so it is never
 * mistaken for the source.
 */
export function longTermSource(profile: string, profiles: Record<string, ProfileSettings>): string | undefined {
  const longTerm = `${profile}${LONG_TERM_SUFFIX}`;
  if (!profiles[longTerm] || profile.endsWith(LONG_TERM_SUFFIX)) return undefined;
  const settings = profiles[profile] ?? {};
  if (settings.role_arn || settings.source_profile || settings.credential_process || settings.sso_session || settings.sso_start_url || settings.web_identity_token_file) {
    return undefined;
  }
  const shortTermOrNoKeys = !settings.aws_access_key_id || Boolean(settings.aws_session_token || settings.aws_security_token);
  return shortTermOrNoKeys ? longTerm : undefined;
}

function defaultSessionName(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the generic name
  }
  return `mfa-env-${user}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** What a login asks beyond the profile: the flags, and the environment for the STS region. */
export interface PlanOptions extends SessionFlags {
  duration?: string;
  env: NodeJS.ProcessEnv;
  /** false: no cachedStarts (a plan made only to know another profile's fingerprint). */
  withCachedStarts?: boolean;
}

/** The PlanOptions of a login's options (only what the plan depends on). */
export function planOptions(options: SessionFlags & { duration?: string; env: NodeJS.ProcessEnv }): PlanOptions {
  const { duration, env, region, roleArn, sessionName, externalId } = options;
  return { duration, env, region, roleArn, sessionName, externalId };
}

/** A role to the SDKs: role_arn, unless it is a web identity profile (the SDK assumes that one itself). */
function isRoleProfile(settings: ProfileSettings): boolean {
  return settings.role_arn !== undefined && settings.web_identity_token_file === undefined;
}

/**
 * The plan of a login: the [NAME-long-term] layout first (aws-mfa's), then the profile as the
 * SDKs resolve it (role-chain.ts): a role or chain of roles, else a GetSessionToken session.
 */
export function makePlan(profile: string, profiles: Record<string, ProfileSettings>, files: AwsFiles, options: PlanOptions): LoginPlan {
  checkSessionFlags(options);
  const settings = profiles[profile] ?? {};
  const longTerm = longTermSource(profile, profiles);
  const region = options.region ?? (settings.region || undefined);
  const common = {
    profile,
    region,
    stsRegion: region ?? (options.env.AWS_REGION || 'us-east-1'),
    sourceProfile: settings.source_profile,
    durationFromFlag: options.duration !== undefined,
  };
  const parts = (longTerm === undefined && isRoleProfile(settings)) || options.roleArn !== undefined
    ? rolePlan(profile, profiles, files, options, longTerm)
    : sessionPlan(profile, profiles, files, options, longTerm);
  // The profile's own mfa_prompt, else that of the profile whose keys sign (as for mfa_process).
  const promptSetting = settings.mfa_prompt ?? profiles[parts.credentialsProfile]?.mfa_prompt;
  const plan = { ...common, ...parts, promptProgram: promptProgramFor(promptSetting, options.env, profile) };
  const adHoc = options.roleArn === undefined ? undefined : { roleArn: plan.roleArn!, externalId: plan.externalId, sessionName: plan.roleSessionName };
  return { ...plan, adHoc, fingerprint: fingerprintOf(plan), writeProfileDefault: longTerm ? profile : undefined };
}

export type PlanParts = Omit<LoginPlan, 'profile' | 'region' | 'stsRegion' | 'sourceProfile' | 'durationFromFlag' | 'fingerprint' | 'writeProfileDefault' | 'adHoc'>;

function rolePlan(profile: string, profiles: Record<string, ProfileSettings>, files: AwsFiles, options: PlanOptions, longTerm: string | undefined): PlanParts {
  // The fingerprint another profile's login would have: how its cached session is recognised.
  const fingerprintOf = (name: string): string | undefined => {
    if (options.withCachedStarts === false || (name === profile && options.roleArn === undefined)) return undefined;
    try {
      return makePlan(name, profiles, files, { env: options.env, withCachedStarts: false }).fingerprint;
    } catch {
      return undefined;
    }
  };
  const asked = { duration: options.duration, flags: options, longTerm, defaultName: defaultSessionName() };
  const parts = rolePlanParts(profile, profiles, asked, fingerprintOf);
  const last = parts.hops.at(-1)!;
  return {
    ...parts,
    kind: 'role',
    roleArn: last.roleArn,
    externalId: last.externalId,
    roleSessionName: last.sessionName,
    durationSeconds: last.durationSeconds!,
  };
}

/**
 * The settings themselves rather than a hash of them: exact, and a cached login need not load
 * node:crypto (17 internal modules, ~1 ms) to compare them. None of them is a secret.
 */
function fingerprintOf(plan: Omit<LoginPlan, 'fingerprint'>): string {
  const hops = plan.hops.map((hop) => [hop.roleArn, hop.externalId ?? '', hop.sessionName]);
  return JSON.stringify([plan.kind, plan.credentialsProfile, plan.mfaSerial ?? '', plan.roleArn ?? '', plan.externalId ?? '', plan.region ?? '', hops]);
}
