/**
 * `mfa-env exec --server`: the command gets the loopback endpoint's URL and token instead of
 * static keys; the endpoint lives exactly as long as the command.
 */
import { UsageError } from '../errors.js';
import { sdkVariablesToStrip } from '../aws/sdk.js';
import { PROCESS_CHAIN_VARIABLE } from '../session/credential-process.js';
import { parseDuration } from '../session/duration.js';
import type { LoginResult } from '../session/login.js';
import { CONFLICTING_VARIABLES, SESSION_VARIABLES } from '../session/variables.js';
import type { Session } from '../session/session.js';
import { serverEnvironment, startCredentialServer, type CredentialServer } from './credential-server.js';
import { roleRenewal, type RenewSettings } from './renew-role.js';

const DEFAULT_REFRESH_BEFORE_S = 600;

/**
 * Variables that would point the command's SDK elsewhere than the endpoint: other container
 * endpoints (botocore prefers the relative URI) and a token file, which wins over the token.
 */
const OTHER_CONTAINER_VARIABLES = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];

export interface ServerRun {
  /** Starts the endpoint for `result`, runs the command through `runCommand`, stops the endpoint. */
  run<T>(result: LoginResult, renew: Omit<RenewSettings, 'env'>, runCommand: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T>;
}

/** Checks the settings before any login (bad input fails before a network call), then returns the runner. */
export function credentialServerRun(env: NodeJS.ProcessEnv, say: (message: string) => void): ServerRun {
  const refreshBeforeMs = refreshBeforeSeconds(env) * 1000;
  const renewalOff = env.MFA_ENV_REFRESH === 'off';
  return {
    async run(result, renew, runCommand) {
      const server = await startCredentialServer({
        session: result.session,
        renew: renewalOff ? undefined : roleRenewal(result, { ...renew, env }),
        refreshBeforeMs,
        say,
      });
      try {
        return await runCommand(serverChildEnvironment(env, result.session, server));
      } finally {
        await server.close();
      }
    },
  };
}

/** MFA_ENV_REFRESH_BEFORE: `600`, `10m` (default 10 minutes). */
function refreshBeforeSeconds(env: NodeJS.ProcessEnv): number {
  const text = env.MFA_ENV_REFRESH_BEFORE;
  if (text === undefined || text === '') return DEFAULT_REFRESH_BEFORE_S;
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    throw new UsageError(`MFA_ENV_REFRESH_BEFORE is not a duration: ${JSON.stringify(text)}`, 'Use seconds or units: 600, 10m, 1h30m; unset it for the default (10m).');
  }
  return seconds;
}

/**
 * The parent's environment with no static keys and nothing that contradicts the endpoint, plus
 * the endpoint and the region. MFA_ENV_PROFILE stays out too: a shell with the integration
 * would otherwise take the cached session's static keys over at its prompt.
 */
export function serverChildEnvironment(parent: NodeJS.ProcessEnv, session: Session, server: Pick<CredentialServer, 'url' | 'token'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  const strip = [...CONFLICTING_VARIABLES, ...SESSION_VARIABLES, ...OTHER_CONTAINER_VARIABLES, ...sdkVariablesToStrip(), PROCESS_CHAIN_VARIABLE];
  for (const name of strip) delete env[name];
  // The SDKs read the shared credentials file before the endpoint: keys of [default] there
  // (the usual home of the long-term keys) would be used instead of the session.
  env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  if (session.region) {
    env.AWS_REGION = session.region;
    env.AWS_DEFAULT_REGION = session.region;
  }
  return { ...env, ...serverEnvironment(server) };
}
