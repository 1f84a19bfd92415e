import { MfaEnvError } from '../errors.js';
import type { MfaDevice } from './iam.js';
import type { CallerIdentity, StsTarget } from './sts.js';

/** Whose devices were listed, and the ones STS can use. */
export interface CallerDevices {
  identity: CallerIdentity;
  /** The IAM user name (undefined for the root user). */
  userName?: string;
  /** `IAM user alice` or `the root user`, for messages. */
  label: string;
  /** TOTP devices (virtual or hardware): the only kind GetSessionToken/AssumeRole accept. */
  devices: MfaDevice[];
  /** FIDO security keys that were left out. */
  fidoCount: number;
}

/** FIDO security keys (arn:…:u2f/…) cannot produce a code for STS. */
export function isFidoKey(device: MfaDevice): boolean {
  return /:u2f\//.test(device.serial);
}

/**
 * The MFA devices of the user that owns the keys: GetCallerIdentity names the user, then
 * iam:ListMFADevices lists that user's devices. Naming the user also works where the caller
 * cannot be inferred (moto, IAM-compatible endpoints). Used by `setup` and by login's lookup
 * when a profile has no mfa_serial.
 */
export async function findMfaDevices(target: StsTarget, keysProfile: string): Promise<CallerDevices> {
  const { getCallerIdentity } = await import('./sts.js');
  const identity = await getCallerIdentity(target, keysProfile);
  const who = iamUser(identity.arn, keysProfile);
  const { listMfaDevices } = await import('./iam.js');
  const listed = await listMfaDevices(target, keysProfile, who.userName).catch((error: unknown) => {
    throw listDenied(error, keysProfile) ?? error;
  });
  const devices = listed.filter((device) => !isFidoKey(device));
  return { identity, ...who, devices, fidoCount: listed.length - devices.length };
}

/** The IAM user (or root) the ARN names; MFA devices for STS belong to nothing else. */
function iamUser(arn: string | undefined, keysProfile: string): { userName?: string; label: string } {
  const user = /^arn:[\w-]+:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn ?? '');
  if (user) return { userName: user[1], label: `IAM user ${user[1]}` };
  if (/^arn:[\w-]+:iam::\d+:root$/.test(arn ?? '')) return { label: 'the root user' };
  throw new MfaEnvError(
    `the keys of profile "${keysProfile}" belong to ${arn}, not to an IAM user, so there is no MFA device to use`,
    'mfa_serial is for IAM users\' long-term access keys; put those in the profile (`aws configure --profile NAME`) and run setup again.',
  );
}

/**
 * iam:ListMFADevices refused (many MFA-enforcing policies deny it without MFA): the way out is
 * to name the device, not to fix "STS ListMFADevices".
 */
function listDenied(error: unknown, keysProfile: string): MfaEnvError | undefined {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (!/AccessDenied|not authorized|UnauthorizedOperation/i.test(text)) return undefined;
  return new MfaEnvError(
    `the keys of profile "${keysProfile}" may not list their MFA devices (iam:ListMFADevices was denied), so mfa-env cannot find the device itself`,
    `Add mfa_serial = arn:aws:iam::ACCOUNT:mfa/NAME to [${keysProfile === 'default' ? 'default' : `profile ${keysProfile}`}] in ~/.aws/config (the ARN is under IAM → Security credentials → MFA in the console).`,
  );
}
