import { awsFiles, loadAllProfiles, profileNotFound, resolveProfileName, type AwsFiles, type ProfileSettings } from '../aws/profiles.js';
import type { LoginOptions } from './login.js';
import { LONG_TERM_SUFFIX, makePlan, planOptions, type LoginPlan } from './plan.js';
import { profilesStamp, writeProfilesSnapshot } from './profiles-snapshot.js';

/**
 * Step 2 of a login: the plan, resolved once from the AWS files as they are now, and checked
 * (login --write-profile checks its target here) before the cache and any network call.
 */
export async function resolveLoginPlan(options: LoginOptions): Promise<{ plan: LoginPlan; files: AwsFiles; profiles: Record<string, ProfileSettings> }> {
  const profile = resolveProfileName(options.profile, options.env);
  const files = awsFiles(options.env);
  const stamp = profilesStamp(files);
  const profiles = await loadAllProfiles(files);
  // [NAME] may not exist yet in the [NAME-long-term] layout: the first login creates it.
  if (!profiles[profile] && !profiles[`${profile}${LONG_TERM_SUFFIX}`]) throw profileNotFound(profile, files, Object.keys(profiles));
  const plan = makePlan(profile, profiles, files, planOptions(options));
  await options.checkPlan?.(plan, profiles);
  // Only once the login gets this far: a typo in --profile must not create the cache dir.
  if (stamp !== undefined) writeProfilesSnapshot(stamp, profiles);
  return { plan, files, profiles };
}
