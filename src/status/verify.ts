/** `status --verify`: STS GetCallerIdentity with the session in the environment, written into the report. */
import { MfaEnvError } from '../errors.js';
import type { StatusReport } from './report.js';

/** Fills `verified` and `identityArn`, or `problem` (also said on stderr) when STS refuses the credentials. */
export async function verifyWithSts(report: StatusReport, env: NodeJS.ProcessEnv, say: (message: string) => void): Promise<void> {
  const { getCallerIdentity } = await import('../aws/sts.js');
  try {
    const identity = await getCallerIdentity(
      {
        configProfile: report.profile!,
        region: report.region ?? (env.AWS_REGION || 'us-east-1'),
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, sessionToken: env.AWS_SESSION_TOKEN },
        env,
      },
      report.profile!,
    );
    report.verified = { arn: identity.arn ?? null, account: identity.account ?? null, userId: identity.userId ?? null };
    if (identity.arn) report.identityArn = identity.arn;
  } catch (error) {
    report.problem = `verification failed: ${error instanceof MfaEnvError ? error.message : String(error)}`;
    say(report.problem);
  }
}
