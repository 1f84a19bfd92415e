import { MfaEnvError } from '../errors.js';
import type { AwsFiles, ProfileSettings } from '../aws/profiles.js';
import { assertSerial } from '../mfa/validate.js';
import { resolveDuration } from './duration.js';
import { refuseRoleFlagsForSession } from './plan-flags.js';
import type { PlanOptions, PlanParts } from './plan.js';

/** Profiles that resolve to credentials by themselves (static keys, process, SSO, web identity). */
function hasOwnCredentials(settings: ProfileSettings): boolean {
  return Boolean(
    settings.aws_access_key_id || settings.credential_process || settings.sso_session || settings.sso_start_url || settings.web_identity_token_file,
  );
}

/** The profile whose long-term keys sign the STS call . */
function credentialsProfileOf(
  profile: string,
  settings: ProfileSettings,
  sourceProfile: string | undefined,
  longTerm: string | undefined,
  files: AwsFiles,
): string {
  if (longTerm) return longTerm;
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

/** A profile without a role: GetSessionToken with its own keys, its source_profile's, or [NAME-long-term]'s. */
export function sessionPlan(profile: string, profiles: Record<string, ProfileSettings>, files: AwsFiles, options: PlanOptions, longTerm: string | undefined): PlanParts {
  refuseRoleFlagsForSession(profile, options);
  const settings = profiles[profile] ?? {};
  const sourceProfile = settings.source_profile;
  if (sourceProfile !== undefined && !profiles[sourceProfile]) {
    throw new MfaEnvError(
      `profile "${profile}" names source_profile "${sourceProfile}", which is not in ${files.configFile} or ${files.credentialsFile}`,
      `Fix source_profile in [${profile}], or add the [${sourceProfile}] profile with its long-term keys.`,
    );
  }
  const credentialsProfile = credentialsProfileOf(profile, settings, sourceProfile, longTerm, files);
  const sourceName = sourceProfile ?? longTerm;
  const source = sourceName ? profiles[sourceName] : undefined;
  const durationSource = options.duration !== undefined ? '--duration' : `duration_seconds of profile "${profile}"`;
  return {
    kind: 'session',
    credentialsProfile,
    mfaSerial: mfaSerialOf(profile, settings, sourceName, source, longTerm),
    mfaProcess: settings.mfa_process ?? source?.mfa_process,
    durationSeconds: resolveDuration('session', options.duration ?? settings.duration_seconds, durationSource),
    hops: [],
    cachedStarts: [],
  };
}

