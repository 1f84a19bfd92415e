/** The only importer of @aws-sdk/client-iam (lazily): MFA device discovery for login and setup. */
import { quietSdk, requestHandlerOptions } from './sdk.js';
import { explainStsError } from './sts-errors.js';
import type { StsTarget } from './sts.js';

export interface MfaDevice {
  serial: string;
  enabled?: Date;
}

/** The caller's MFA devices (iam:ListMFADevices with no UserName lists the signing user's own). */
export async function listMfaDevices(target: StsTarget, profile: string): Promise<MfaDevice[]> {
  quietSdk();
  const { IAMClient, ListMFADevicesCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient({
    region: target.region,
    profile: target.configProfile,
    credentials: target.credentials,
    requestHandler: requestHandlerOptions(target.env),
  });
  try {
    const answer = await client.send(new ListMFADevicesCommand({}));
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
