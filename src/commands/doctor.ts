import { Option } from 'clipanion';
import { awsFiles, loadAllProfiles, resolveProfileName, type ProfileSettings } from '../aws/profiles.js';
import { cacheDirPath } from '../session/cache-dir.js';
import { checkCacheDir } from '../doctor/cache-dir.js';
import { fail, formatResult, type CheckResult } from '../doctor/check.js';
import { checkClock, stsEndpoint } from '../doctor/clock.js';
import { checkProfileConflict, checkSessionVariables, checkShellIntegration } from '../doctor/environment.js';
import { checkAwsFile } from '../doctor/files.js';
import { checkKeysLocation, keyringLongTermKeys } from '../doctor/keys.js';
import { checkCredentialProcessLoops, checkLongTermKeys, checkMfaSerial, checkProfile } from '../doctor/profile.js';
import { checkNode } from '../doctor/runtime.js';
import { MfaEnvCommand } from './base.js';

export class DoctorCommand extends MfaEnvCommand {
  static override paths = [['doctor']];

  static override usage = MfaEnvCommand.Usage({
    description: 'check files, permissions, environment, cache and clock; one pass/warn/fail line each',
    details: `
      Checks, one line each with the fix for a warn or fail: the AWS config and credentials files and their modes; the profile (exists, its flow), its mfa_serial and its long-term keys; profiles whose credential_process runs mfa-env in a loop; AWS_PROFILE next to exported keys; session variables that another tool set or changed; the shell integration (MFA_ENV_SHELL); the cache dir's mode and owner; the Node.js version; and this computer's clock against the Date header of an STS answer (warn beyond 60 s, fail beyond 5 minutes: signatures and MFA codes both fail on a skewed clock).

      Nothing is changed and no credentials are sent: the clock check is an unsigned request that STS refuses. Exit code 1 when any check fails.
    `,
    examples: [
      ['Check the default profile', '$0 doctor'],
      ['Check profile dev', '$0 doctor --profile dev'],
    ],
  });

  profile = Option.String('--profile,-p', { description: 'the profile to check (default: $AWS_PROFILE, the current session\'s, then "default")' });

  async run(): Promise<number> {
    const env = this.context.env;
    const files = awsFiles(env);
    const profile = resolveProfileName(this.profile, env);
    let profiles: Record<string, ProfileSettings> = {};
    let loadError: string | undefined;
    try {
      profiles = await loadAllProfiles(files);
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
    // The only network check; it runs while the local ones do.
    const clock = checkClock(stsEndpoint(env, profiles[profile]), env);

    const results: CheckResult[] = [checkAwsFile('config', files.configFile), checkAwsFile('credentials', files.credentialsFile)];
    if (loadError) {
      results.push(fail('profile', `cannot read the AWS files: ${loadError}`, 'fix the file named above'));
    } else {
      const { result, plan } = checkProfile(profile, profiles, files, env);
      results.push(result);
      if (plan || profiles[profile]) results.push(checkMfaSerial(profile, profiles, plan));
      if (plan) results.push((await keyringLongTermKeys(plan.credentialsProfile, env)) ?? checkLongTermKeys(profile, plan, profiles));
      if (plan) results.push(await checkKeysLocation(plan.credentialsProfile, profiles, env));
      results.push(checkCredentialProcessLoops(profiles, files, env));
    }
    results.push(
      checkProfileConflict(env),
      checkSessionVariables(env),
      checkShellIntegration(env),
      checkCacheDir(cacheDirPath()),
      checkNode(),
      await clock,
    );

    for (const result of results) this.context.stdout.write(`${formatResult(result)}\n`);
    const count = (verdict: CheckResult['verdict']) => results.filter((r) => r.verdict === verdict).length;
    const warnings = count('warn');
    this.context.stdout.write(`\n${count('pass')} passed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${count('fail')} failed\n`);
    return count('fail') > 0 ? 1 : 0;
  }
}
