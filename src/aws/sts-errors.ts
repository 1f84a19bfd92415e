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

/** An STS failure as the rules below see it. */
interface Fault {
  e: SdkErrorShape;
  name: string;
  /** The error text with every secret masked. */
  raw: string;
  /** The profile whose keys signed the call. */
  who: string;
  context: StsCallContext;
  unsent: boolean;
  /** What happened to the MFA code, for the hint (empty when the call carried none). */
  codeNote: string;
}

const RETRY_NOTE = 'mfa-env does not retry a call that carries an MFA code: a code is good for one use.';
const error = (message: string, hint: string) => new MfaEnvError(message, hint);

/**
 * A data table, longer than 40 lines by design: one rule per fault, checked in order; the
 * first that matches explains the error. The timeout comes before the socket codes: the
 * handler's own timeouts carry ETIMEDOUT too.
 */
const RULES: Array<[(f: Fault) => boolean, (f: Fault) => MfaEnvError]> = [
  [
    (f) => (f.name === 'TimeoutError' || /timed? ?out/i.test(f.name)) && (f.e.code === undefined || f.e.code === 'ETIMEDOUT'),
    (f) => error(
      f.unsent ? 'could not connect to STS in time (timeout)' : 'STS did not answer in time (timeout)',
      `Check your network or VPN and try again; MFA_ENV_TIMEOUT sets the limit in seconds. Nothing was changed.${f.codeNote}`,
    ),
  ],
  [
    (f) => f.e.code !== undefined && Object.hasOwn(NETWORK_CODES, f.e.code),
    (f) => error(
      `cannot reach STS: ${NETWORK_CODES[f.e.code!]} (${f.e.code})`,
      `Check your network or VPN, and AWS_ENDPOINT_URL / endpoint_url if you set one. Nothing was changed.${f.codeNote}`,
    ),
  ],
  [
    (f) => f.name === 'Throttling' || f.name === 'ThrottlingException' || /rate exceeded/i.test(f.raw),
    () => error('STS is throttling requests (Rate exceeded)', `Wait a minute, then run it again with a new code. ${RETRY_NOTE}`),
  ],
  [
    (f) => /invalid MFA one time pass code/i.test(f.raw),
    () => error(
      'AWS rejected the MFA code: it is wrong, or it was already used (AWS answers both the same way)',
      'Wait for the next code on your device and run it again. If every code fails, check the device\'s clock and `mfa-env doctor`.',
    ),
  ],
  [
    (f) => /unable to validate MFA code|verify your MFA serial/i.test(f.raw),
    (f) => error(
      `AWS could not validate the code for MFA device ${f.context.serial ?? '(unknown)'}: the serial is wrong or not assigned to the user of profile "${f.who}"`,
      `Fix mfa_serial in profile "${f.context.profile}" (\`mfa-env setup --profile ${f.context.profile}\` finds it).`,
    ),
  ],
  [
    (f) => /session credentials/i.test(f.raw) && f.context.operation === 'GetSessionToken',
    (f) => error(
      `profile "${f.who}" holds session credentials, but GetSessionToken needs long-term access keys`,
      `Put the IAM user's long-term keys (AKIA…) in profile "${f.who}" in your credentials file.`,
    ),
  ],
  [
    (f) => f.name === 'RequestExpired' || /signature expired|request has expired/i.test(f.raw),
    (f) => {
      const skew = clockSkewSeconds(f.e);
      return error(
        `this computer's clock is off${skew === undefined ? '' : ` by about ${Math.abs(skew)} seconds`}: AWS refused the request as expired`,
        'Fix the system clock (e.g. `sudo timedatectl set-ntp true`); MFA codes fail on a skewed clock too.',
      );
    },
  ],
  [
    (f) => f.name === 'SignatureDoesNotMatch',
    (f) => error(
      `the secret access key of profile "${f.who}" does not match its access key id`,
      `Check aws_secret_access_key in profile "${f.who}" (or create a new key pair in IAM).`,
    ),
  ],
  [
    (f) => f.name === 'InvalidClientTokenId' || f.name === 'UnrecognizedClientException',
    (f) => error(
      `AWS does not know the access key id of profile "${f.who}" (deleted, deactivated or mistyped)`,
      `Check aws_access_key_id in profile "${f.who}", or create a new access key in IAM.`,
    ),
  ],
  [
    (f) => f.name === 'ExpiredToken' || f.name === 'ExpiredTokenException',
    (f) => error(
      `the credentials of profile "${f.who}" are an expired session token`,
      `Give profile "${f.who}" long-term access keys, or renew its session, then try again.`,
    ),
  ],
  [
    (f) => /MaxSessionDuration/i.test(f.raw),
    (f) => error(
      `the requested duration${f.context.durationSeconds ? ` (${f.context.durationSeconds}s)` : ''} is longer than role ${f.context.roleArn ?? ''} allows (its MaxSessionDuration)`,
      'Ask for less with --duration 1h (or duration_seconds in the profile), or raise the role\'s maximum session duration in IAM.',
    ),
  ],
  [
    (f) => f.name === 'AccessDenied' && f.context.operation === 'AssumeRole',
    (f) => error(
      `profile "${f.who}" is not allowed to assume role ${f.context.roleArn ?? ''}: ${f.raw}`,
      'Check the role\'s trust policy (principal, MFA condition, external_id) and the user\'s sts:AssumeRole permission.',
    ),
  ],
];

/** Turns an SDK error into an MfaEnvError that names the fault and the fix, with secrets masked. */
export function explainStsError(sdkError: unknown, context: StsCallContext): MfaEnvError {
  const e = (sdkError ?? {}) as SdkErrorShape;
  const unsent = codeNeverSent(sdkError);
  const carriesCode = context.serial !== undefined && (context.operation === 'GetSessionToken' || context.operation === 'AssumeRole');
  const fault: Fault = {
    e,
    name: e.name ?? 'Error',
    raw: redact(e.message ?? String(sdkError), context.secrets),
    who: context.credentialsProfile ?? context.profile,
    context,
    unsent,
    codeNote: !carriesCode ? '' : unsent ? ' The MFA code was not sent, so it can still be used.' : ' The MFA code may have reached AWS: use the next one.',
  };
  const rule = RULES.find(([matches]) => matches(fault));
  return rule ? rule[1](fault) : new MfaEnvError(`STS ${context.operation} failed: ${fault.name}: ${fault.raw}`);
}

/** Seconds between our clock and the server's Date header, when the answer carried one. */
function clockSkewSeconds(error: SdkErrorShape): number | undefined {
  const date = error.$response?.headers?.date ?? error.$response?.headers?.Date;
  if (!date) return undefined;
  const server = Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((Date.now() - server) / 1000);
}
