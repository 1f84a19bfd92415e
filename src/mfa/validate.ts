import { UsageError } from '../errors.js';

/** What STS accepts as a serial (GetSessionToken API reference). */
export const SERIAL_PATTERN = /^[\w+=/:,.@-]{9,256}$/;
export const CODE_PATTERN = /^\d{6}$/;

export function assertSerial(serial: string, source: string): void {
  if (!SERIAL_PATTERN.test(serial)) {
    throw new UsageError(
      `invalid MFA serial ${JSON.stringify(serial)} (${source})`,
      'It is the device ARN, e.g. arn:aws:iam::123456789012:mfa/alice, or a hardware serial like GAHT12345678; `mfa-env setup` finds it.',
    );
  }
}

export function isValidCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

export function assertCode(code: string, source: string): void {
  if (!isValidCode(code)) {
    throw new UsageError(
      `invalid MFA code (${source}): it must be exactly 6 digits`,
      'Type the 6-digit code your authenticator shows now, e.g. --token-code 123456.',
    );
  }
}
