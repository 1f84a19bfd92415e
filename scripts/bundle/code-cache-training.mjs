/**
 * How scripts/bundle.mjs runs each bundle once to make its V8 code cache (code-cache.cjs): the
 * cache holds what that run compiled, and whatever it did not compile is compiled at every
 * start. So the hot commands run for real, against a scratch HOME whose cache holds a
 * session: `login` served from the cache, then `status`, `clear`, `prompt` and
 * `credential-process` with the variables that login printed. Every other word runs `--help`.
 * Nothing leaves the scratch HOME, and the STS endpoint is a closed port.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The runs, by command word; a word not here runs `<word> --help`. */
export const TRAINING_RUNS = {
  login: ['login', '--shell', 'bash'],
  clear: ['clear', '--shell', 'bash'],
  status: ['status'],
  prompt: ['prompt'],
  'credential-process': ['credential-process', '--profile', 'default'],
};

/**
 * Fills `home` (AWS files, a cached session of [default], the profiles snapshot) with mfa-env's
 * own modules from dist/, and returns the environment the runs get.
 */
export async function prepareTraining(home, dist) {
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIATRAINING00000001\naws_secret_access_key = training\n', { mode: 0o600 });
  writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/training\n');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    XDG_CACHE_HOME: join(home, '.cache'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_PROXY: '*',
  };
  const load = (module) => import(pathToFileURL(join(dist, module)).href);
  const { awsFiles, loadAllProfiles } = await load('aws/profiles.js');
  const { makePlan } = await load('session/plan.js');
  const { writeCachedSession } = await load('session/cache.js');
  const { profilesStamp, writeProfilesSnapshot } = await load('session/profiles-snapshot.js');
  // The cache dir comes from env-paths, which reads this process's environment.
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = env.XDG_CACHE_HOME;
  try {
    const files = awsFiles(env);
    const stamp = profilesStamp(files);
    const profiles = await loadAllProfiles(files);
    const plan = makePlan('default', profiles, files, { env });
    const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    writeCachedSession(
      { profile: 'default', kind: 'session', accessKeyId: 'ASIATRAINING00000001', secretAccessKey: 'training', sessionToken: 'training', expiration, region: 'eu-west-1' },
      plan.fingerprint,
    );
    writeProfilesSnapshot(stamp, profiles);
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
  return env;
}

/** The variables a `login --shell bash` printed (`export NAME='value'`; the training values need no unquoting). */
export function sessionVariables(stdout) {
  return Object.fromEntries([...stdout.matchAll(/^(?:\\builtin )?\\?export (\w+)='([^']*)'$/gm)].map((match) => [match[1], match[2]]));
}
