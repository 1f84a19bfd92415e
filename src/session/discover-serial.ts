import { MfaEnvError } from '../errors.js';
import type { AwsFiles } from '../aws/profiles.js';
import type { StsTarget } from '../aws/sts.js';
import type { LoginPlan } from './plan.js';

/** No mfa_serial: ask IAM. One device is used (and we say how to save it); several is an error. */
export async function discoverSerial(
  plan: LoginPlan,
  target: StsTarget,
  files: AwsFiles,
  say: (message: string) => void,
): Promise<string> {
  const { findMfaDevices } = await import('../aws/mfa-devices.js');
  const { devices, label, userName } = await findMfaDevices(target, plan.credentialsProfile);
  const section = plan.profile === 'default' ? '[default]' : `[profile ${plan.profile}]`;
  const saveLine = (serial: string) => `add \`mfa_serial = ${serial}\` to ${section} in ${files.configFile}`;
  if (devices.length === 1) {
    const serial = devices[0]!.serial;
    say(`profile "${plan.profile}" has no mfa_serial; using your only MFA device ${serial}. To skip this lookup, ${saveLine(serial)}, or run \`mfa-env setup --profile ${plan.profile}\`.`);
    return serial;
  }
  if (devices.length === 0) {
    const { assignDeviceHint } = await import('../aws/iam.js');
    throw new MfaEnvError(`profile "${plan.profile}" has no mfa_serial and ${label} has no MFA device that STS can use`, assignDeviceHint(userName));
  }
  throw new MfaEnvError(
    `profile "${plan.profile}" has no mfa_serial and ${label} has ${devices.length} MFA devices:\n  ${devices.map((d) => d.serial).join('\n  ')}`,
    `Pick one with \`mfa-env setup --profile ${plan.profile}\`, or ${saveLine('ARN')}.`,
  );
}
