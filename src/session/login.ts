import { MfaEnvError } from '../errors.js';
import { awsFiles, loadAllProfiles, profileNotFound, resolveProfileName, type AwsFiles, type ProfileSettings } from '../aws/profiles.js';
import { readCachedSession, writeCachedSession } from './cache.js';
import { enterLoginChain } from './credential-process.js';
import { profilesStamp, readProfilesSnapshot, writeProfilesSnapshot } from './profiles-snapshot.js';
import { CHAINED_ROLE_MAX_SECONDS, formatDuration } from './duration.js';
import { withProfileLock } from './lock.js';
import { LONG_TERM_SUFFIX, makePlan, type LoginPlan } from './plan.js';
import { formatTimeLeft, timeLeftMs, type Session } from './session.js';

export interface LoginOptions {
  profile?: string;
  duration?: string;
  /** A format-checked code (from --token-code or stdin). */
  tokenCode?: string;
  force?: boolean;
  env: NodeJS.ProcessEnv;
  /** Progress and notes for the user (stderr). */
  say: (message: string) => void;
  /** Runs on the plan before the cache and any network call (login --write-profile checks its target here). */
  checkPlan?: (plan: LoginPlan, profiles: Record<string, ProfileSettings>) => void | Promise<void>;
}

export interface LoginResult {
  session: Session;
  plan: LoginPlan;
  fromCache: boolean;
}

/**
 * The login flow as a plain function: profile → plan (all validation, no network) → cache →
 * under the profile's lock: cache again, then STS. Used by login, exec and credential-process.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const profile = resolveProfileName(options.profile, options.env);
  const files = awsFiles(options.env);
  if (!options.force) {
    const hit = await cachedLoginFromSnapshot(profile, files, options);
    if (hit) return hit;
  }
  const stamp = profilesStamp(files);
  const profiles = await loadAllProfiles(files);
  // [NAME] may not exist yet in the [NAME-long-term] layout: the first login creates it.
  if (!profiles[profile] && !profiles[`${profile}${LONG_TERM_SUFFIX}`]) throw profileNotFound(profile, files, Object.keys(profiles));
  const plan = makePlan(profile, profiles, files, { duration: options.duration, env: options.env });
  await options.checkPlan?.(plan, profiles);
  // Only once the login gets this far: a typo in --profile must not create the cache dir.
  if (stamp !== undefined) writeProfilesSnapshot(stamp, profiles);

  const warn = (message: string) => options.say(`warning: ${message}`);
  if (!options.force) {
    const cached = readCachedSession(profile, plan.fingerprint, warn);
    if (cached) return { session: cached, plan, fromCache: true };
  }

  // Before the lock: a credential_process loop back to this profile would wait for it forever.
  enterLoginChain(profile, options.env);
  return withProfileLock(
    profile,
    options.env,
    () => options.say(`waiting for another mfa-env login of profile "${profile}" to finish…`),
    async () => {
      // A parallel login may have finished while we waited for the lock.
      if (!options.force) {
        const cached = readCachedSession(profile, plan.fingerprint, () => {});
        if (cached) return { session: cached, plan, fromCache: true };
      }
      const session = await fetchSession(plan, files, options, warn);
      writeCachedSession(session, plan.fingerprint, warn);
      return { session, plan, fromCache: false };
    },
  );
}

/**
 * A login served from the cache without the SDK's loader (~30 ms of start-up): the profiles
 * come from the snapshot of its last output, valid while both AWS files are unchanged. The
 * same plan, check and cache lookup as below; anything but a hit (a miss, an error) goes the
 * full way with a fresh read, which also gives any warning or error its authoritative text.
 */
async function cachedLoginFromSnapshot(profile: string, files: AwsFiles, options: LoginOptions): Promise<LoginResult | undefined> {
  try {
    const profiles = readProfilesSnapshot(files);
    if (!profiles || !Object.hasOwn(profiles, profile)) return undefined;
    const plan = makePlan(profile, profiles, files, { duration: options.duration, env: options.env });
    await options.checkPlan?.(plan, profiles);
    const session = readCachedSession(profile, plan.fingerprint, () => {});
    return session ? { session, plan, fromCache: true } : undefined;
  } catch {
    return undefined;
  }
}

async function fetchSession(
  plan: LoginPlan,
  files: AwsFiles,
  options: LoginOptions,
  warn: (message: string) => void,
): Promise<Session> {
  const sts = await import('../aws/sts.js');
  const targetFor = (credentials: import('../aws/sts.js').AwsCredentials) => ({
    configProfile: plan.profile,
    region: plan.stsRegion,
    credentials,
    env: options.env,
  });

  if (plan.kind === 'role' && plan.sourceProfile) {
    const sourceSession = readCachedSession(plan.sourceProfile, undefined, warn);
    if (sourceSession?.kind === 'session') {
      const durationSeconds = Math.min(plan.durationSeconds, CHAINED_ROLE_MAX_SECONDS);
      options.say(
        `assuming ${plan.roleArn} with the cached MFA session of profile "${plan.sourceProfile}" (no new code; role chaining allows at most ${formatDuration(CHAINED_ROLE_MAX_SECONDS)}` +
          (durationSeconds < plan.durationSeconds ? `, so ${formatDuration(durationSeconds)} instead of ${formatDuration(plan.durationSeconds)})` : ')'),
      );
      const { accessKeyId, secretAccessKey, sessionToken } = sourceSession;
      return sts.assumeRole(targetFor({ accessKeyId, secretAccessKey, sessionToken }), {
        profile: plan.profile,
        credentialsProfile: plan.sourceProfile,
        roleArn: plan.roleArn!,
        sessionName: plan.roleSessionName!,
        externalId: plan.externalId,
        durationSeconds,
        region: plan.region,
      });
    }
  }

  const { resolveSourceCredentials } = await import('../aws/credentials.js');
  const credentials = await resolveSourceCredentials(plan.credentialsProfile, files);
  if (plan.kind === 'session' && credentials.sessionToken) {
    throw new MfaEnvError(
      `profile "${plan.credentialsProfile}" resolves to session credentials, but GetSessionToken needs long-term access keys`,
      `Put the IAM user's long-term keys (AKIA…) in [${plan.credentialsProfile}] in ${files.credentialsFile}. If [${plan.credentialsProfile}] is a session written there (--write-profile, aws-mfa), log in with the profile that holds the long-term keys, or move them to [${plan.credentialsProfile}${LONG_TERM_SUFFIX}].`,
    );
  }
  const target = targetFor(credentials);
  const serial = plan.mfaSerial ?? (await discoverSerial(plan, target, files, options.say));

  const { obtainCode } = await import('../mfa/code.js');
  const code = await obtainCode({
    profile: plan.profile,
    serial,
    flagCode: options.tokenCode,
    mfaProcess: plan.mfaProcess,
    promptProgram: plan.promptProgram,
    env: options.env,
    warn,
  });

  if (plan.kind === 'role') {
    return sts.assumeRole(target, {
      profile: plan.profile,
      credentialsProfile: plan.credentialsProfile,
      roleArn: plan.roleArn!,
      sessionName: plan.roleSessionName!,
      externalId: plan.externalId,
      serial,
      code,
      durationSeconds: plan.durationSeconds,
      region: plan.region,
    });
  }
  return sts.getSessionToken(target, {
    profile: plan.profile,
    credentialsProfile: plan.credentialsProfile,
    serial,
    code,
    durationSeconds: plan.durationSeconds,
    region: plan.region,
  });
}

/** No mfa_serial: ask IAM. One device is used (and we say how to save it); several is an error. */
async function discoverSerial(
  plan: LoginPlan,
  target: import('../aws/sts.js').StsTarget,
  files: AwsFiles,
  say: (message: string) => void,
): Promise<string> {
  const { findMfaDevices } = await import('../aws/mfa-devices.js');
  const { devices, label, userName } = await findMfaDevices(target, plan.credentialsProfile);
  const section = plan.profile === 'default' ? '[default]' : `[profile ${plan.profile}]`;
  const saveLine = (serial: string) => `add \`mfa_serial = ${serial}\` to ${section} in ${files.configFile}`;
  if (devices.length === 1) {
    const serial = devices[0]!.serial;
    say(`profile "${plan.profile}" has no mfa_serial; using your only MFA device ${serial}. To skip this lookup, ${saveLine(serial)}, or run \`mfa-env setup --profile ${plan.profile}\`.`);
    return serial;
  }
  if (devices.length === 0) {
    const { assignDeviceHint } = await import('../setup/choose-device.js');
    throw new MfaEnvError(`profile "${plan.profile}" has no mfa_serial and ${label} has no MFA device that STS can use`, assignDeviceHint(userName));
  }
  throw new MfaEnvError(
    `profile "${plan.profile}" has no mfa_serial and ${label} has ${devices.length} MFA devices:\n  ${devices.map((d) => d.serial).join('\n  ')}`,
    `Pick one with \`mfa-env setup --profile ${plan.profile}\`, or ${saveLine('ARN')}.`,
  );
}

/** `profile dev: MFA session until 17:27 (11h59m left)`, the one-line summary after a login. */
export function summary(result: LoginResult): string {
  const { session } = result;
  const what = session.kind === 'role' ? `role ${session.identityArn ?? result.plan.roleArn}` : 'MFA session';
  // Local 24-hour HH:MM by hand: toLocaleTimeString loads ICU locale data, ~12 ms of every login.
  const expiry = new Date(session.expiration);
  const until = `${String(expiry.getHours()).padStart(2, '0')}:${String(expiry.getMinutes()).padStart(2, '0')}`;
  const left = formatTimeLeft(timeLeftMs(session));
  return `profile ${session.profile}: ${what} until ${until} (${left} left)${result.fromCache ? ', from the cache' : ''}`;
}
