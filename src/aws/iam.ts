/** The only importer of @aws-sdk/client-iam (lazily): MFA device discovery for login and setup. */
import { quietSdk, requestHandlerOptions } from './sdk.js';
import { explainStsError } from './sts-errors.js';
import type { StsTarget } from './sts.js';

export interface MfaDevice {
  serial: string;
  enabled?: Date;
}

/**
 * The caller's MFA devices. Without `userName`, iam:ListMFADevices lists the signing user's own;
 * `setup` passes the name from GetCallerIdentity, which also works where the caller cannot be
 * inferred (moto, some IAM-compatible endpoints).
 */
export async function listMfaDevices(target: StsTarget, profile: string, userName?: string): Promise<MfaDevice[]> {
  quietSdk();
  const { IAMClient, ListMFADevicesCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient({
    region: target.region,
    profile: target.configProfile,
    credentials: target.credentials,
    requestHandler: requestHandlerOptions(target.env),
  });
  try {
    const answer = await client.send(new ListMFADevicesCommand(userName ? { UserName: userName } : {}));
    return (answer.MFADevices ?? [])
      .filter((device) => device.SerialNumber)
      .map((device) => ({ serial: device.SerialNumber!, enabled: device.EnableDate }));
  } catch (error) {
    throw explainStsError(error, {
      operation: 'ListMFADevices',
      profile,
      secrets: [target.credentials.secretAccessKey, target.credentials.sessionToken],
    });
  } finally {
    client.destroy();
  }
}

/** How to assign a device, for a user who has none. */
export function assignDeviceHint(userName: string | undefined): string {
  const user = userName ?? 'YOUR-USER';
  return [
    'Assign one in the IAM console (IAM → Users → your user → Security credentials → Assign MFA device → Authenticator app), or with the AWS CLI:',
    `  aws iam create-virtual-mfa-device --virtual-mfa-device-name ${user} --outfile qr.png --bootstrap-method QRCodePNG`,
    `  aws iam enable-mfa-device --user-name ${user} --serial-number ARN-FROM-ABOVE --authentication-code1 CODE1 --authentication-code2 CODE2`,
    'Then run `mfa-env setup` again.',
  ].join('\n');
}
