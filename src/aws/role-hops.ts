/** What a profile resolves to, hop by hop, before any network call (see role-chain.ts). */

/** The values `credential_source` may take, exactly as botocore and the JS SDK spell them. */
export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

/** Where the first credentials of a chain come from. */
export type FirstCredentials =
  /** aws_access_key_id/aws_secret_access_key of `profile` (long-term, or a stored session). */
  | { kind: 'static'; profile: string }
  /** `credential_process` of `profile`, run by the SDK's ini provider. */
  | { kind: 'process'; profile: string }
  /** SSO (`sso_session` or `sso_start_url`) of `profile`; needs `aws sso login` first. */
  | { kind: 'sso'; profile: string }
  /** `web_identity_token_file` + `role_arn` of `profile` (the SDK assumes that role itself). */
  | { kind: 'web-identity'; profile: string }
  /** `credential_source` of `profile`: the environment, IMDS or the container endpoint. */
  | { kind: 'credential-source'; profile: string; source: CredentialSource };

/** One AssumeRole call, in the order they are made. */
export interface RoleHop {
  /** The profile whose role_arn this is. */
  profile: string;
  roleArn: string;
  externalId?: string;
  /** undefined: login's default name (mfa-env-USER). */
  roleSessionName?: string;
  /** The profile's duration_seconds as written (login parses `3600`, `1h`); undefined: default. */
  duration?: string;
  /** mfa_serial written on this hop's own profile (botocore would prompt for each such hop). */
  ownMfaSerial?: string;
}

export interface ResolvedProfile {
  profile: string;
  /** session: GetSessionToken; role: one AssumeRole; chain: several; none: nothing to log in with. */
  flow: 'session' | 'role' | 'chain' | 'none';
  /** undefined only when flow is `none`. */
  first?: FirstCredentials;
  /** AssumeRole calls, first to last; the last one gives the profile's session. Empty for `session`/`none`. */
  hops: RoleHop[];
  /**
   * The MFA device the code is asked for, once. For a role or chain it is sent with
   * hops[mfaHop]; every later hop is assumed with that hop's session. For `session` it goes
   * with GetSessionToken. undefined: no device configured (login looks it up for `session`).
   */
  mfaSerial?: string;
  /** Index into hops of the hop that sends SerialNumber + TokenCode. */
  mfaHop?: number;
  /** The profile the mfa_serial was read from (may be a source: see README "Profiles"). */
  mfaSerialProfile?: string;
  /** The target profile's region (botocore calls STS for every hop in this region). */
  region?: string;
  /** Why the flow is `none`. */
  problem?: string;
}
