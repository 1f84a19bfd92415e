/**
 * The shell's environment as doctor inherits it: conflicting variables, sessions that other
 * tools changed, and whether the shell integration is loaded.
 */
import { readFileSync } from 'node:fs';
import { integratedShell, resolveShell, shellByProcessName, shellPaths, type IntegratedShell } from '../shells/index.js';
import { expiryMs, foreignSessionProblem, readEnvironmentSession } from '../session/environment-session.js';
import { fail, pass, warn, type CheckResult } from './check.js';

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** AWS_PROFILE next to exported keys: the JS SDK uses the profile and ignores the keys, botocore the opposite. */
export function checkProfileConflict(env: NodeJS.ProcessEnv): CheckResult {
  const id = 'aws-profile';
  const profileVariable = env.AWS_PROFILE ? 'AWS_PROFILE' : env.AWS_DEFAULT_PROFILE ? 'AWS_DEFAULT_PROFILE' : undefined;
  if (env.AWS_ACCESS_KEY_ID && profileVariable) {
    return fail(id, `${profileVariable}=${env[profileVariable]} is set next to exported keys: the JS SDK uses the profile and ignores the keys, botocore and the AWS CLI use the keys`,
      `unset ${profileVariable} (\`mfa-env login\` unsets it for you)`);
  }
  if (env.AWS_SECURITY_TOKEN && env.AWS_SECURITY_TOKEN !== env.AWS_SESSION_TOKEN) {
    return fail(id, 'AWS_SECURITY_TOKEN (an old name some tools still read) differs from AWS_SESSION_TOKEN', 'unset AWS_SECURITY_TOKEN (`mfa-env login` unsets it for you)');
  }
  if (profileVariable) return pass(id, `${profileVariable}=${env[profileVariable]} and no exported keys`);
  return pass(id, 'no AWS_PROFILE next to exported keys');
}

/** Session variables that are not one consistent mfa-env session (another tool set or changed them), or an expired one. */
export function checkSessionVariables(env: NodeJS.ProcessEnv, now = Date.now()): CheckResult {
  const id = 'session';
  const session = readEnvironmentSession(env);
  if (session.accessKeyId === undefined && session.profile === undefined) return pass(id, 'no session variables in the environment');
  const problem = foreignSessionProblem(session);
  if (problem) return warn(id, problem, '`mfa-env clear`, then `mfa-env login`');
  const expiry = expiryMs(session)!;
  if (expiry <= now) {
    return warn(id, `the session of profile ${session.profile} expired at ${isoSeconds(expiry)}`, `mfa-env login --profile ${session.profile}`);
  }
  return pass(id, `session of profile ${session.profile} (set by mfa-env) until ${isoSeconds(expiry)}`);
}

/** The shell doctor was started from (its parent process), else the login shell ($SHELL), else bash. */
function callingShell(env: NodeJS.ProcessEnv): IntegratedShell {
  const parent = integratedShell(resolveShell(undefined).name);
  if (parent) return parent;
  return integratedShell(shellByProcessName(env.SHELL ?? '')?.name ?? '') ?? integratedShell('bash')!;
}

/**
 * The shell integration's `mfa-env` function passes MFA_ENV_SHELL to every command it runs (so
 * it tells the shell that runs us, not a parent's rc); without it `mfa-env login` prints
 * shell code instead of setting the variables, and the prompt shows no session. When it is not
 * loaded, the rc file tells set-up-but-not-yet-loaded (a new shell fixes it) from not set up.
 */
export function checkShellIntegration(env: NodeJS.ProcessEnv): CheckResult {
  const id = 'shell-integration';
  if (env.MFA_ENV_SHELL) return pass(id, `loaded (${env.MFA_ENV_SHELL})`);
  const shell = callingShell(env);
  const files = shell.integration.rcFiles(shellPaths(env));
  const initLine = shell.integration.initLine('mfa-env');
  const configured = files.find((file) => {
    try {
      return readFileSync(file, 'utf8').includes('mfa-env init');
    } catch {
      return false;
    }
  });
  if (configured) {
    return warn(id, `not loaded in this ${shell.name} (MFA_ENV_SHELL is not set), though ${configured} loads it`, `open a new shell, or run: ${initLine}`);
  }
  return warn(id, `not loaded in this ${shell.name} (MFA_ENV_SHELL is not set): \`mfa-env login\` prints code instead of setting the session`,
    `add \`${initLine}\` to ${files[0]} (or run ./install.sh), then open a new shell`);
}
