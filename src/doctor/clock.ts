/**
 * This computer's clock against STS's. Signatures older than 5 minutes are refused
 * (SignatureDoesNotMatch "Signature expired", RequestExpired), and TOTP codes are checked
 * against the server's clock, so a skewed clock makes every MFA code look wrong.
 */
import type { ProfileSettings } from '../aws/profiles.js';
import { fail, pass, warn, type CheckResult } from './check.js';

export const WARN_SKEW_S = 60;
export const FAIL_SKEW_S = 300;
const DEFAULT_TIMEOUT_MS = 3_000;

/** STS's endpoint the way the SDK resolves it: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's endpoint_url, the regional one. */
export function stsEndpoint(env: NodeJS.ProcessEnv, settings: ProfileSettings | undefined): { url: string; source: string } {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    if (env.AWS_ENDPOINT_URL_STS) return { url: env.AWS_ENDPOINT_URL_STS, source: 'AWS_ENDPOINT_URL_STS' };
    if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
    if (settings?.endpoint_url) return { url: settings.endpoint_url, source: 'the profile\'s endpoint_url' };
  }
  const region = settings?.region || env.AWS_REGION || 'us-east-1';
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { url: `https://sts.${region}.${domain}`, source: `region ${region}` };
}

function timeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.MFA_ENV_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, DEFAULT_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
}

/**
 * POSTs an unsigned GetCallerIdentity and resolves with the answer's Date header. node:http(s)
 * rather than fetch: fetch refuses some ports outright ("bad port"), the SDK does not.
 */
async function stsDateHeader(url: string, timeout: number): Promise<string | undefined> {
  const target = new URL(url);
  const { request } = target.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    });
    // One deadline for everything: DNS, connect, the answer.
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })), timeout);
    req.on('response', (response) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.headers.date);
      req.destroy();
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

/**
 * Sends STS an unsigned GetCallerIdentity (it answers 403, with a Date header; nothing is
 * authenticated, so no credentials leave this machine) and compares the clocks.
 */
export async function checkClock(endpoint: { url: string; source: string }, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const id = 'clock';
  const sent = Date.now();
  let date: string | undefined;
  try {
    date = await stsDateHeader(endpoint.url, timeoutMs(env));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return warn(id, `could not reach STS at ${endpoint.url} (${code}) to compare the clock`, 'check your network or VPN (and AWS_ENDPOINT_URL / endpoint_url), then run doctor again');
  }
  const received = Date.now();
  const server = date ? Date.parse(date) : NaN;
  if (Number.isNaN(server)) return warn(id, `STS at ${endpoint.url} answered without a usable Date header`, 'check AWS_ENDPOINT_URL / endpoint_url: this does not look like STS');
  // Date has whole seconds: the server's time lies in [server, server + 1 s).
  const skew = Math.round(((sent + received) / 2 - (server + 500)) / 1000);
  const how = `${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} STS (${endpoint.url}, Date: ${date})`;
  const fix = 'turn on time sync (`sudo timedatectl set-ntp true`; macOS: System Settings → General → Date & Time)';
  if (Math.abs(skew) > FAIL_SKEW_S) return fail(id, `this clock is ${how}: AWS refuses signatures over 5 minutes off, and MFA codes fail too`, fix);
  if (Math.abs(skew) > WARN_SKEW_S) return warn(id, `this clock is ${how}: MFA codes may be rejected`, fix);
  return pass(id, `within ${Math.max(1, Math.abs(skew))} s of STS (${endpoint.url})`);
}
