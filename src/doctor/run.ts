/** `mfa-env doctor` as a plain function: every check, in the order the lines are printed, and the tally. */
import { awsFiles, loadAllProfiles, resolveProfileName, type AwsFiles, type ProfileSettings } from '../aws/profiles.js';
import { cacheDirPath } from '../store/cache-dir.js';
import { checkCacheDir } from './cache-dir.js';
import { fail, formatResult, type CheckResult } from './check.js';
import { checkClock, stsEndpoint } from './clock.js';
import { checkProfileConflict, checkSessionVariables, checkShellIntegration } from './environment.js';
import { checkAwsFile } from './files.js';
import { checkKeysLocation, keyringLongTermKeys } from './keys.js';
import { checkCredentialProcessLoops, checkLongTermKeys, checkMfaSerial, checkProfile } from './profile.js';
import { checkNode } from './runtime.js';

export interface DoctorReport {
  /** One line per check, then the tally, for stdout. */
  text: string;
  failed: boolean;
}

/** Runs every check for `profileFlag` (else the profile login would use). */
export async function runDoctor(profileFlag: string | undefined, env: NodeJS.ProcessEnv): Promise<DoctorReport> {
  const files = awsFiles(env);
  const profile = resolveProfileName(profileFlag, env);
  const { profiles, loadError } = await loadProfiles(files);
  // The only network check; it runs while the local ones do.
  const clock = checkClock(stsEndpoint(env, profiles[profile]), env);
  const results: CheckResult[] = [checkAwsFile('config', files.configFile), checkAwsFile('credentials', files.credentialsFile)];
  if (loadError) results.push(fail('profile', `cannot read the AWS files: ${loadError}`, 'fix the file named above'));
  else results.push(...(await profileChecks(profile, profiles, files, env)));
  results.push(checkProfileConflict(env), checkSessionVariables(env), checkShellIntegration(env), checkCacheDir(cacheDirPath()), checkNode(), await clock);
  return { text: `${results.map(formatResult).join('\n')}\n\n${tally(results)}\n`, failed: results.some((r) => r.verdict === 'fail') };
}

async function loadProfiles(files: AwsFiles): Promise<{ profiles: Record<string, ProfileSettings>; loadError?: string }> {
  try {
    return { profiles: await loadAllProfiles(files) };
  } catch (error) {
    return { profiles: {}, loadError: error instanceof Error ? error.message : String(error) };
  }
}

/** The profile, its mfa_serial and keys (each only when the one before found something to check), and credential_process loops. */
async function profileChecks(profile: string, profiles: Record<string, ProfileSettings>, files: AwsFiles, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  const { result, plan } = checkProfile(profile, profiles, files, env);
  const results = [result];
  if (plan || profiles[profile]) results.push(checkMfaSerial(profile, profiles, plan));
  if (plan) {
    // Keys in the OS keyring satisfy the long-term keys check; then where the keys are.
    results.push((await keyringLongTermKeys(plan.credentialsProfile, env)) ?? checkLongTermKeys(profile, plan, profiles));
    results.push(await checkKeysLocation(plan.credentialsProfile, profiles, env));
  }
  results.push(checkCredentialProcessLoops(profiles, files, env));
  return results;
}

/** `5 passed, 1 warning, 0 failed` */
function tally(results: CheckResult[]): string {
  const count = (verdict: CheckResult['verdict']) => results.filter((r) => r.verdict === verdict).length;
  const warnings = count('warn');
  return `${count('pass')} passed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${count('fail')} failed`;
}
