import { MfaEnvError } from '../errors.js';
import { redact } from '../secrets.js';

/** What was being attempted, so an STS fault can be explained in the user's terms. */
export interface StsCallContext {
  operation: 'GetSessionToken' | 'AssumeRole' | 'GetCallerIdentity' | 'ListMFADevices';
  profile: string;
  /** The profile whose long-term keys signed the call. */
  credentialsProfile?: string;
  serial?: string;
  roleArn?: string;
  durationSeconds?: number;
  /** Values that must never be printed (code, keys, tokens). */
  secrets: Array<string | undefined>;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the STS endpoint\'s host name could not be resolved (DNS)',
  EAI_AGAIN: 'the STS endpoint\'s host name could not be resolved right now (DNS)',
  ECONNREFUSED: 'the STS endpoint refused the connection',
  ECONNRESET: 'the connection to STS was reset',
  EHOSTUNREACH: 'the STS endpoint is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection to STS timed out',
};

/** Failures that happen before a connection exists: the request, and the MFA code in it, never left this machine. */
const NEVER_CONNECTED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

export function codeNeverSent(error: unknown): boolean {
  const e = (error ?? {}) as SdkErrorShape;
  if (e.code && NEVER_CONNECTED.has(e.code)) return true;
  // The handler's connectionTimeout: no connection was established.
  return e.name === 'TimeoutError' && /did not establish a connection/i.test(e.message ?? '');
}

/** Turns an SDK error into an MfaEnvError that names the fault and the fix, with secrets masked. */
export function explainStsError(error: unknown, context: StsCallContext): MfaEnvError {
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const raw = redact(e.message ?? String(error), context.secrets);
  const who = context.credentialsProfile ?? context.profile;
  const retryNote = 'mfa-env does not retry a call that carries an MFA code: a code is good for one use.';

  const unsent = codeNeverSent(error);
  const carriesCode = context.serial !== undefined && (context.operation === 'GetSessionToken' || context.operation === 'AssumeRole');
  const codeNote = !carriesCode ? '' : unsent ? ' The MFA code was not sent, so it can still be used.' : ' The MFA code may have reached AWS: use the next one.';

  // Checked before the socket codes: the handler's own timeouts carry ETIMEDOUT too.
  if ((name === 'TimeoutError' || /timed? ?out/i.test(name)) && (e.code === undefined || e.code === 'ETIMEDOUT')) {
    return new MfaEnvError(
      unsent ? 'could not connect to STS in time (timeout)' : 'STS did not answer in time (timeout)',
      `Check your network or VPN and try again; MFA_ENV_TIMEOUT sets the limit in seconds. Nothing was changed.${codeNote}`,
    );
  }
  const networkCode = e.code && NETWORK_CODES[e.code] ? e.code : undefined;
  if (networkCode) {
    return new MfaEnvError(
      `cannot reach STS: ${NETWORK_CODES[networkCode]} (${networkCode})`,
      `Check your network or VPN, and AWS_ENDPOINT_URL / endpoint_url if you set one. Nothing was changed.${codeNote}`,
    );
  }
  if (name === 'Throttling' || name === 'ThrottlingException' || /rate exceeded/i.test(raw)) {
    return new MfaEnvError(
      'STS is throttling requests (Rate exceeded)',
      `Wait a minute, then run it again with a new code. ${retryNote}`,
    );
  }
  if (/invalid MFA one time pass code/i.test(raw)) {
    return new MfaEnvError(
      'AWS rejected the MFA code: it is wrong, or it was already used (AWS answers both the same way)',
      'Wait for the next code on your device and run it again. If every code fails, check the device\'s clock and `mfa-env doctor`.',
    );
  }
  if (/unable to validate MFA code|verify your MFA serial/i.test(raw)) {
    return new MfaEnvError(
      `AWS could not validate the code for MFA device ${context.serial ?? '(unknown)'}: the serial is wrong or not assigned to the user of profile "${who}"`,
      `Fix mfa_serial in profile "${context.profile}" (\`mfa-env setup --profile ${context.profile}\` finds it).`,
    );
  }
  if (/session credentials/i.test(raw) && context.operation === 'GetSessionToken') {
    return new MfaEnvError(
      `profile "${who}" holds session credentials, but GetSessionToken needs long-term access keys`,
      `Put the IAM user's long-term keys (AKIA…) in profile "${who}" in your credentials file.`,
    );
  }
  if (name === 'RequestExpired' || /signature expired|request has expired/i.test(raw)) {
    const skew = clockSkewSeconds(e);
    return new MfaEnvError(
      `this computer's clock is off${skew === undefined ? '' : ` by about ${Math.abs(skew)} seconds`}: AWS refused the request as expired`,
      'Fix the system clock (e.g. `sudo timedatectl set-ntp true`); MFA codes fail on a skewed clock too.',
    );
  }
  if (name === 'SignatureDoesNotMatch') {
    return new MfaEnvError(
      `the secret access key of profile "${who}" does not match its access key id`,
      `Check aws_secret_access_key in profile "${who}" (or create a new key pair in IAM).`,
    );
  }
  if (name === 'InvalidClientTokenId' || name === 'UnrecognizedClientException') {
    return new MfaEnvError(
      `AWS does not know the access key id of profile "${who}" (deleted, deactivated or mistyped)`,
      `Check aws_access_key_id in profile "${who}", or create a new access key in IAM.`,
    );
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return new MfaEnvError(
      `the credentials of profile "${who}" are an expired session token`,
      `Give profile "${who}" long-term access keys, or renew its session, then try again.`,
    );
  }
  if (/MaxSessionDuration/i.test(raw)) {
    return new MfaEnvError(
      `the requested duration${context.durationSeconds ? ` (${context.durationSeconds}s)` : ''} is longer than role ${context.roleArn ?? ''} allows (its MaxSessionDuration)`,
      'Ask for less with --duration 1h (or duration_seconds in the profile), or raise the role\'s maximum session duration in IAM.',
    );
  }
  if (name === 'AccessDenied' && context.operation === 'AssumeRole') {
    return new MfaEnvError(
      `profile "${who}" is not allowed to assume role ${context.roleArn ?? ''}: ${raw}`,
      'Check the role\'s trust policy (principal, MFA condition, external_id) and the user\'s sts:AssumeRole permission.',
    );
  }
  return new MfaEnvError(`STS ${context.operation} failed: ${name}: ${raw}`);
}

/** Seconds between our clock and the server's Date header, when the answer carried one. */
function clockSkewSeconds(error: SdkErrorShape): number | undefined {
  const date = error.$response?.headers?.date ?? error.$response?.headers?.Date;
  if (!date) return undefined;
  const server = Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((Date.now() - server) / 1000);
}
