/** The flags of `mfa-env policy`, checked before anything is printed. */
import { UsageError } from '../errors.js';
import { DURATION_LIMITS, formatDuration, parseDuration } from '../session/duration.js';

/** IAM service prefixes: lowercase letters, digits and hyphens (s3, ec2, execute-api). */
const SERVICE_PREFIX = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Denying these without MFA would deny the very calls that get the MFA session. */
const SELF_SERVICE_PREFIXES = ['iam', 'sts'];

/** --max-age as seconds, within what an MFA session can live. */
export function parseMaxAge(text: string): number {
  const seconds = parseDuration(text);
  // No MFA session outlives GetSessionToken's maximum; a longer max age could never deny anything.
  const max = DURATION_LIMITS.session.max;
  if (seconds === undefined || seconds < 1 || seconds > max) {
    throw new UsageError(
      `invalid --max-age "${text}"`,
      `Give a duration between 1s and ${formatDuration(max)} (the longest MFA session): 3600, 90m, 8h, 1h30m.`,
    );
  }
  return seconds;
}

/** --service values: IAM prefixes, without duplicates, never the ones MFA self-service needs. */
export function parseServices(values: string[]): string[] {
  const services: string[] = [];
  for (const value of values) {
    if (!SERVICE_PREFIX.test(value)) {
      throw new UsageError(
        `invalid --service "${value}"`,
        'Give an IAM service prefix in lowercase, as in its actions: s3, ec2, dynamodb, execute-api.',
      );
    }
    if (SELF_SERVICE_PREFIXES.includes(value)) {
      throw new UsageError(
        `--service ${value} would deny, without MFA, the ${value === 'sts' ? 'sts:GetSessionToken call that gets the MFA session' : 'IAM actions that set up an MFA device'}, so no one could ever sign in with MFA`,
        'Leave out --service to deny everything but MFA self-service, which covers IAM and STS safely.',
      );
    }
    if (!services.includes(value)) services.push(value);
  }
  return services;
}
