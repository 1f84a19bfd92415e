/**
 * Settings applied before any AWS SDK client is built.
 *
 * SDK releases from late 2026 print a multi-line NodeVersionSupportWarning on Node 20 at the
 * first client; stderr must carry only mfa-env's own words, so we switch it off with the SDK's
 * documented variable, in our process only (exec removes it again for the child).
 */
export const SDK_WARNING_VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
let weSetWarningVariable = false;

export function quietSdk(): void {
  if (process.env[SDK_WARNING_VARIABLE] === undefined) {
    process.env[SDK_WARNING_VARIABLE] = 'true';
    weSetWarningVariable = true;
  }
}

/** Variables mfa-env put into its own environment that a child process must not inherit. */
export function sdkVariablesToStrip(): string[] {
  return weSetWarningVariable ? [SDK_WARNING_VARIABLE] : [];
}

/**
 * Request timeouts for every client: MFA_ENV_TIMEOUT seconds (default 15) for the whole request,
 * a third of it to connect. Without throwOnRequestTimeout the SDK's handler only logs a warning
 * when requestTimeout passes and the request hangs on.
 */
export function requestHandlerOptions(env: NodeJS.ProcessEnv): {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
} {
  const seconds = Number(env.MFA_ENV_TIMEOUT ?? 15);
  const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15_000;
  return { connectionTimeout: Math.ceil(ms / 3), requestTimeout: ms, throwOnRequestTimeout: true };
}
