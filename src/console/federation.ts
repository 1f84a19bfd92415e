import { MfaEnvError, UsageError } from '../errors.js';
import { redact } from '../secrets.js';
import { federationEndpoint, type Partition } from './partition.js';

/** What the federation endpoint exchanges for a sign-in token: a role session's three parts. */
export interface ConsoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** Shown to AWS as who built the sign-in URL (the `Issuer` of the login request). */
const ISSUER = 'mfa-env';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * MFA_ENV_FEDERATION_URL (a proxy, a test), checked before anything else runs. It must be
 * https, or http to a loopback address: the session's secret key is sent to it.
 */
export function federationOverride(env: NodeJS.ProcessEnv): URL | undefined {
  const override = env.MFA_ENV_FEDERATION_URL?.trim();
  if (!override) return undefined;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new UsageError(`MFA_ENV_FEDERATION_URL is not a URL: ${JSON.stringify(override)}`, 'Unset it to use the AWS sign-in endpoint, or give a full URL such as https://signin.aws.amazon.com/federation.');
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure || url.search || url.hash || url.username || url.password) {
    throw new UsageError(
      `MFA_ENV_FEDERATION_URL must be an https URL (plain http only to 127.0.0.1, ::1 or localhost), without a query: ${override}`,
      'The session\'s secret key is sent to it.',
    );
  }
  return url;
}

/** The federation endpoint: the override, else the partition's own. */
export function federationUrl(partition: Partition, override: URL | undefined): URL {
  return override ?? new URL(federationEndpoint(partition));
}

/** MFA_ENV_TIMEOUT seconds (default 15), as for the STS calls. */
function timeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.MFA_ENV_TIMEOUT ?? 15);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15_000;
}

/**
 * `getSigninToken`: the session JSON goes in a POST body (form-encoded), never in a URL, so no
 * proxy or server log holds the secret. No SessionDuration: the endpoint refuses one for
 * chained role sessions, and without it the console session lasts as the credentials do.
 */
export async function getSigninToken(endpoint: URL, credentials: ConsoleCredentials, env: NodeJS.ProcessEnv): Promise<string> {
  const session = JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
  const body = new URLSearchParams({ Action: 'getSigninToken', Session: session });
  const secrets = [credentials.secretAccessKey, credentials.sessionToken];
  const limitMs = timeoutMs(env);
  let response: Response;
  try {
    response = await fetch(endpoint, { method: 'POST', body, headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(limitMs) });
  } catch (error) {
    throw unreachable(endpoint, error, secrets, limitMs);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new MfaEnvError(
      `the console federation endpoint ${endpoint.host} refused the session (HTTP ${response.status})`,
      'The session may have expired or been revoked: log in again with `mfa-env login --force`, then run `mfa-env console`.',
    );
  }
  const token = signinTokenOf(text);
  if (!token) throw new MfaEnvError(`the console federation endpoint ${endpoint.host} answered without a SigninToken: ${redact(text.slice(0, 120), secrets)}`);
  return token;
}

function signinTokenOf(text: string): string | undefined {
  try {
    const data = JSON.parse(text) as { SigninToken?: unknown };
    return typeof data.SigninToken === 'string' && data.SigninToken !== '' ? data.SigninToken : undefined;
  } catch {
    return undefined;
  }
}

function unreachable(endpoint: URL, error: unknown, secrets: string[], limitMs: number): MfaEnvError {
  const cause = (error as { cause?: { code?: string } }).cause;
  const name = (error as Error).name;
  const why = name === 'TimeoutError' ? `no answer within ${limitMs / 1000}s` : (cause?.code ?? redact(String((error as Error).message), secrets));
  return new MfaEnvError(`could not reach the console federation endpoint ${endpoint.host} (${why})`, 'Check your network or VPN and try again; MFA_ENV_TIMEOUT sets the limit in seconds.');
}

/** The sign-in URL: Action=login with the token; it opens `destination` signed in, once, within 15 minutes. */
export function loginUrl(endpoint: URL, signinToken: string, destination: string): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: ISSUER, Destination: destination, SigninToken: signinToken });
  return `${endpoint.origin}${endpoint.pathname}?${query.toString()}`;
}
