import { userInfo } from 'node:os';
import { MfaEnvError } from '../errors.js';
import { assertSerial } from '../mfa/validate.js';
import { promptProgramFor, type PromptProgram } from '../mfa/prompt-programs/names.js';
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import { resolveDuration } from './duration.js';

/** Everything a login needs to know, worked out from the profile before any network call. */
export interface LoginPlan {
  profile: string;
  /** `session`: GetSessionToken; `role`: AssumeRole. */
  kind: 'session' | 'role';
  /** The profile whose long-term keys sign the STS call. */
  credentialsProfile: string;
  /** The MFA device; undefined means: discover it with iam:ListMFADevices. */
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
  /** The profile's own region (exported as AWS_REGION when set). */
  region?: string;
  /** The region STS is called in: the profile's, else AWS_REGION, else us-east-1. */
  stsRegion: string;
  /** The settings a session depends on, as one string: a cached session made from others is not reused. */
  fingerprint: string;
  /**
   * The [NAME-long-term] layout: the profile the session is written to when `--write-profile`
   * is not given (NAME itself). Undefined for every other layout.
   */
  writeProfileDefault?: string;
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

/** Profiles that resolve to credentials by themselves (static keys, process, SSO, web identity). */
function hasOwnCredentials(settings: ProfileSettings): boolean {
  return Boolean(
    settings.aws_access_key_id || settings.credential_process || settings.sso_session || settings.sso_start_url || settings.web_identity_token_file,
  );
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

/** The profile whose long-term keys sign the STS call (the logic of makePlan, split out for size). */
function credentialsProfileOf(
  profile: string,
  settings: ProfileSettings,
  sourceProfile: string | undefined,
  longTerm: string | undefined,
  files: AwsFiles,
): string {
  if (longTerm) return longTerm;
  if (settings.role_arn) {
    if (!sourceProfile) {
      throw new MfaEnvError(
        `role profile "${profile}" has no source_profile, so there are no long-term keys to assume ${settings.role_arn} with`,
        `Add source_profile = NAME to [${profile}], naming the profile with your IAM user's keys.`,
      );
    }
    return sourceProfile;
  }
  if (hasOwnCredentials(settings)) return profile;
  if (sourceProfile) return sourceProfile;
  // Keys kept in the OS keyring (mfa-env keys) leave no trace in the files, and looking there
  // would load a native module on every cached login: resolveSourceCredentials finds them.
  if (settings.mfa_serial !== undefined) return profile;
  throw new MfaEnvError(
    `profile "${profile}" has no long-term keys and no source_profile`,
    `Add aws_access_key_id and aws_secret_access_key to [${profile}] in ${files.credentialsFile} (or store them in the OS keyring: \`mfa-env keys add --profile ${profile}\`), or source_profile = NAME.`,
  );
}

/**
 * The MFA device, checked. A role profile may leave mfa_serial to its source profile, as many
 * configs do; the [NAME-long-term] layout to the long-term section (aws-mfa calls it aws_mfa_device).
 */
function mfaSerialOf(profile: string, settings: ProfileSettings, sourceName: string | undefined, source: ProfileSettings | undefined, longTerm: string | undefined): string | undefined {
  const serialKey = settings.mfa_serial !== undefined || source?.mfa_serial !== undefined || !longTerm ? 'mfa_serial' : 'aws_mfa_device';
  const mfaSerial = settings.mfa_serial ?? source?.mfa_serial ?? (longTerm ? source?.aws_mfa_device : undefined);
  if (mfaSerial !== undefined) {
    assertSerial(mfaSerial, `${serialKey} of profile "${settings.mfa_serial !== undefined ? profile : sourceName}"`);
  }
  return mfaSerial;
}

export function makePlan(
  profile: string,
  profiles: Record<string, ProfileSettings>,
  files: AwsFiles,
  options: { duration?: string; env: NodeJS.ProcessEnv },
): LoginPlan {
  const settings = profiles[profile] ?? {};
  const kind = settings.role_arn ? 'role' : 'session';
  const sourceProfile = settings.source_profile;
  if (sourceProfile !== undefined && !profiles[sourceProfile]) {
    throw new MfaEnvError(
      `profile "${profile}" names source_profile "${sourceProfile}", which is not in ${files.configFile} or ${files.credentialsFile}`,
      `Fix source_profile in [${profile}], or add the [${sourceProfile}] profile with its long-term keys.`,
    );
  }
  const longTerm = longTermSource(profile, profiles);
  const credentialsProfile = credentialsProfileOf(profile, settings, sourceProfile, longTerm, files);
  const sourceName = sourceProfile ?? longTerm;
  const source = sourceName ? profiles[sourceName] : undefined;
  const mfaSerial = mfaSerialOf(profile, settings, sourceName, source, longTerm);
  const durationSource = options.duration !== undefined ? '--duration' : `duration_seconds of profile "${profile}"`;
  const durationSeconds = resolveDuration(kind, options.duration ?? settings.duration_seconds, durationSource);
  const region = settings.region || undefined;
  const plan: Omit<LoginPlan, 'fingerprint'> = {
    profile,
    kind,
    credentialsProfile,
    mfaSerial,
    mfaProcess: settings.mfa_process ?? source?.mfa_process,
    promptProgram: promptProgramFor(settings.mfa_prompt ?? source?.mfa_prompt, options.env, profile),
    roleArn: settings.role_arn,
    externalId: settings.external_id,
    roleSessionName: kind === 'role' ? (settings.role_session_name ?? defaultSessionName()) : undefined,
    sourceProfile,
    durationSeconds,
    region,
    stsRegion: region ?? (options.env.AWS_REGION || 'us-east-1'),
  };
  return { ...plan, fingerprint: fingerprintOf(plan), writeProfileDefault: longTerm ? profile : undefined };
}

/**
 * The settings themselves rather than a hash of them: exact, and a cached login need not load
 * node:crypto (17 internal modules, ~1 ms) to compare them. None of them is a secret.
 */
function fingerprintOf(plan: Omit<LoginPlan, 'fingerprint'>): string {
  return JSON.stringify([plan.kind, plan.credentialsProfile, plan.mfaSerial ?? '', plan.roleArn ?? '', plan.externalId ?? '', plan.region ?? '']);
}
