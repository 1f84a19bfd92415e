import type { FollowRecord } from '../store/follow-file.js';
import type { Session } from './session.js';
import { sessionEnvironment } from './variables.js';

/** A session as the follow file holds it: the same values `login` exports (variables.ts). */
export function followRecord(session: Session, sourceProfile: string | undefined): FollowRecord {
  const env = sessionEnvironment(session);
  return {
    expires: env.MFA_ENV_EXPIRES!,
    kind: session.kind,
    sourceProfile: session.kind === 'role' ? (sourceProfile ?? '') : '',
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    sessionToken: env.AWS_SESSION_TOKEN!,
    credentialExpiration: env.AWS_CREDENTIAL_EXPIRATION!,
    region: session.region ?? '',
    profile: session.profile,
    identityArn: session.identityArn ?? '',
  };
}
