/**
 * ~/.aws layouts from botocore's tests (tests/unit/test_credentials.py, TestAssumeRoleCredentialProvider),
 * aws-vault's (vault/config_test.go) and the AWS CLI docs ("Use an IAM role in the AWS CLI").
 * Written here by hand. `AKIA_x` / `SECRET_x` are replaced by the keys of a moto user seeded for
 * profile x of that layout. A data table: longer than 200 lines on purpose would be split, so it is kept terse.
 */
export type CredentialSourceServer = 'Environment' | 'Ec2InstanceMetadata' | 'EcsContainer';

export interface Layout {
  id: string;
  origin: string;
  profile: string;
  config: string;
  credentials?: string;
  /** The credential_source the test provides (env keys, loopback IMDS, loopback container endpoint). */
  source?: CredentialSourceServer;
  /** A credential_process source: the test writes `process.json` with the keys of profile `proc`. */
  process?: boolean;
  /** Both botocore and mfa-env refuse it; mfa-env's message matches. */
  error?: RegExp;
  /** Where mfa-env differs from botocore on purpose, and why (the README says the same). */
  differs?: { serial?: string; sessionToken?: string; unreadable?: string };
}

const R = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const M = (name: string) => `arn:aws:iam::123456789012:mfa/${name}`;
const keys = (...profiles: string[]) => profiles.map((p) => `[${p}]\naws_access_key_id = AKIA_${p}\naws_secret_access_key = SECRET_${p}\n`).join('');

const SOURCE_SERIAL = 'mfa-env sends the source profile\'s mfa_serial with the first AssumeRole: the user wrote it for that device, and MFA-protected roles need it (botocore sends no code)';
const SESSION_TOKEN = 'a profile without role_arn is an MFA session profile to mfa-env: GetSessionToken with its device (botocore just uses the keys)';
const ONE_CODE = 'mfa-env asks for one code: the first hop with mfa_serial takes it and later hops are assumed with that hop\'s MFA session (botocore prompts again for each hop)';

export const LAYOUTS: Layout[] = [
  { id: 'docs-role', origin: 'AWS CLI docs: role with source_profile', profile: 'marketingadmin', config: `[profile marketingadmin]\nrole_arn = ${R('marketingadminrole')}\nsource_profile = user1\n`, credentials: keys('user1') },
  { id: 'docs-role-mfa', origin: 'AWS CLI docs: mfa_serial on the role', profile: 'marketingadmin', config: `[profile marketingadmin]\nrole_arn = ${R('marketingadminrole')}\nsource_profile = user1\nmfa_serial = ${M('user1')}\n`, credentials: keys('user1') },
  { id: 'docs-external-id', origin: 'AWS CLI docs: external_id', profile: 'crossaccount', config: `[profile crossaccount]\nrole_arn = ${R('partner')}\nsource_profile = user1\nexternal_id = 123456\n`, credentials: keys('user1') },
  { id: 'docs-session-name', origin: 'AWS CLI docs: role_session_name', profile: 'named', config: `[profile named]\nrole_arn = ${R('named')}\nsource_profile = user1\nrole_session_name = Session_Maria_Garcia\n`, credentials: keys('user1') },
  { id: 'docs-duration', origin: 'AWS CLI docs: duration_seconds', profile: 'long', config: `[profile long]\nrole_arn = ${R('long')}\nsource_profile = user1\nduration_seconds = 7200\n`, credentials: keys('user1') },
  { id: 'docs-all-role-keys', origin: 'AWS CLI docs: mfa, external id, name and duration together', profile: 'all', config: `[profile all]\nrole_arn = ${R('all')}\nsource_profile = user1\nmfa_serial = ${M('user1')}\nexternal_id = ext-9\nrole_session_name = all-in\nduration_seconds = 1800\n`, credentials: keys('user1') },
  { id: 'docs-ec2', origin: 'AWS CLI docs: credential_source = Ec2InstanceMetadata', profile: 'ec2', source: 'Ec2InstanceMetadata', config: `[profile ec2]\nrole_arn = ${R('ec2-target')}\ncredential_source = Ec2InstanceMetadata\n` },
  { id: 'docs-env', origin: 'AWS CLI docs: credential_source = Environment', profile: 'fromenv', source: 'Environment', config: `[profile fromenv]\nrole_arn = ${R('env-target')}\ncredential_source = Environment\n` },
  { id: 'docs-ecs', origin: 'AWS CLI docs: credential_source = EcsContainer', profile: 'ecs', source: 'EcsContainer', config: `[profile ecs]\nrole_arn = ${R('ecs-target')}\ncredential_source = EcsContainer\n` },
  { id: 'botocore-self-ref', origin: 'botocore test_self_referential_profile', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = A\n`, credentials: keys('A') },
  { id: 'botocore-static-wins', origin: 'botocore test_source_profile_can_be_static_and_role (static keys of a source win)', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\n[profile B]\nrole_arn = ${R('B')}\nsource_profile = C\n`, credentials: keys('B', 'C') },
  { id: 'botocore-recursive', origin: 'botocore test_recursive_assume_role', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\n[profile B]\nrole_arn = ${R('B')}\nsource_profile = C\n`, credentials: keys('C') },
  { id: 'botocore-chain-3', origin: 'botocore recursive chain, three roles', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\n[profile B]\nrole_arn = ${R('B')}\nsource_profile = C\n[profile C]\nrole_arn = ${R('C')}\nsource_profile = D\n`, credentials: keys('D') },
  { id: 'botocore-loop', origin: 'botocore test_infinite_looping_profiles_raises_error', profile: 'first', config: `[profile first]\nrole_arn = ${R('first')}\nsource_profile = second\n[profile second]\nrole_arn = ${R('second')}\nsource_profile = first\n`, error: /loops: first → second → first/ },
  { id: 'botocore-self-no-keys', origin: 'botocore self-referential profile without static keys', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = A\n`, error: /loops: A → A/ },
  { id: 'botocore-missing-source', origin: 'botocore test_source_profile_does_not_exist', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = nope\n`, error: /source_profile "nope", which does not exist/ },
  { id: 'botocore-both-sources', origin: 'botocore test_source_profile_and_credential_source_provided', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\ncredential_source = Environment\n`, credentials: keys('B'), error: /both source_profile and credential_source/ },
  { id: 'botocore-bad-source', origin: 'botocore test_credential_source_not_supported (canonical names are case-sensitive)', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\ncredential_source = environment\n`, error: /credential_source "environment" .* not one the AWS SDKs support/ },
  { id: 'botocore-no-source', origin: 'botocore test_assume_role_with_no_source_profile (PartialCredentialsError)', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\n`, error: /has no source_profile and no credential_source/ },
  { id: 'botocore-mfa-chain-first', origin: 'botocore test_mfa_serial on a source role (issue 16: jump carries the device)', profile: 'target', config: `[profile target]\nrole_arn = ${R('target')}\nsource_profile = jump\n[profile jump]\nrole_arn = ${R('jump')}\nsource_profile = user\nmfa_serial = ${M('user')}\n`, credentials: keys('user') },
  { id: 'botocore-mfa-chain-last', origin: 'botocore chain with mfa_serial on the target only', profile: 'target', config: `[profile target]\nrole_arn = ${R('target')}\nsource_profile = jump\nmfa_serial = ${M('user')}\n[profile jump]\nrole_arn = ${R('jump')}\nsource_profile = user\n`, credentials: keys('user') },
  { id: 'mfa-both-hops', origin: 'aws-vault TestIncludeProfile-style chain with mfa_serial on two hops', profile: 'target', config: `[profile target]\nrole_arn = ${R('target')}\nsource_profile = jump\nmfa_serial = ${M('user')}\n[profile jump]\nrole_arn = ${R('jump')}\nsource_profile = user\nmfa_serial = ${M('user')}\n`, credentials: keys('user'), differs: { serial: ONE_CODE } },
  { id: 'vault-chain-4', origin: 'aws-vault TestSourceProfileChain, four hops', profile: 'p4', config: `[profile p4]\nrole_arn = ${R('p4')}\nsource_profile = p3\n[profile p3]\nrole_arn = ${R('p3')}\nsource_profile = p2\n[profile p2]\nrole_arn = ${R('p2')}\nsource_profile = p1\nmfa_serial = ${M('base')}\n[profile p1]\nrole_arn = ${R('p1')}\nsource_profile = base\n`, credentials: keys('base') },
  { id: 'vault-mixed-case', origin: 'aws-vault TestCaseInsensitiveKeys (botocore lower-cases keys)', profile: 'admin', config: `[profile admin]\nRole_Arn = ${R('admin')}\nSource_Profile = base\nMFA_Serial = ${M('base')}\nExternal_ID = ext\n`, credentials: keys('base') },
  { id: 'issue16-mfa-case', origin: 'issue 16: mfa_Serial / Role_Arn ignored', profile: 'admin', config: `[profile admin]\nrole_ARN = ${R('admin')}\nsource_profile = base\nmfa_Serial = ${M('base')}\n`, credentials: keys('base') },
  { id: 'vault-default-role', origin: 'aws-vault: [default] as a role profile', profile: 'default', config: `[default]\nrole_arn = ${R('default-role')}\nsource_profile = base\nregion = eu-central-1\n`, credentials: keys('base') },
  { id: 'role-in-credentials', origin: 'botocore: role settings in the credentials file (files merged)', profile: 'admin', config: '', credentials: `[admin]\nrole_arn = ${R('admin')}\nsource_profile = base\n${keys('base')}` },
  { id: 'self-ref-split-files', origin: 'botocore self-reference with config in config, keys in credentials', profile: 'dev', config: `[profile dev]\nrole_arn = ${R('dev')}\nsource_profile = dev\nmfa_serial = ${M('dev')}\nregion = eu-west-2\n`, credentials: keys('dev') },
  { id: 'source-serial', origin: 'seeds: mfa_serial only on the source profile', profile: 'admin', config: `[profile admin]\nrole_arn = ${R('admin')}\nsource_profile = base\n[profile base]\nmfa_serial = ${M('base')}\n`, credentials: keys('base'), differs: { serial: SOURCE_SERIAL } },
  { id: 'session-mfa', origin: 'aws-mfa/seeds: keys + mfa_serial, no role', profile: 'default', config: `[default]\nmfa_serial = ${M('default')}\nregion = eu-west-1\n`, credentials: keys('default'), differs: { sessionToken: SESSION_TOKEN } },
  { id: 'session-no-serial', origin: 'aws configure: keys only', profile: 'plain', config: '[profile plain]\nregion = us-west-2\n', credentials: keys('plain'), differs: { sessionToken: SESSION_TOKEN } },
  { id: 'region-target', origin: 'botocore: the target profile\'s region serves every hop', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\nregion = ap-southeast-2\n[profile B]\nrole_arn = ${R('B')}\nsource_profile = C\n[profile C]\nregion = eu-north-1\n`, credentials: keys('C') },
  { id: 'region-source-only', origin: 'botocore: a source\'s region is not used', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\n[profile B]\nregion = eu-north-1\n`, credentials: keys('B') },
  { id: 'vault-env-chain', origin: 'aws-vault: a chain whose base is credential_source = Environment', profile: 'top', source: 'Environment', config: `[profile top]\nrole_arn = ${R('top')}\nsource_profile = envrole\n[profile envrole]\nrole_arn = ${R('envrole')}\ncredential_source = Environment\nexternal_id = env-ext\n` },
  { id: 'per-hop-durations', origin: 'botocore: duration_seconds per hop', profile: 'A', config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = B\nduration_seconds = 1800\nrole_session_name = top\n[profile B]\nrole_arn = ${R('B')}\nsource_profile = C\nduration_seconds = 3600\nrole_session_name = middle\n`, credentials: keys('C') },
  { id: 'process-source', origin: 'botocore: a source profile with credential_process', profile: 'A', process: true, config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = proc\n[profile proc]\ncredential_process = cat PROCESS_JSON\n` },
  { id: 'process-source-with-role', origin: 'botocore: a source with credential_process and role_arn is assumed as a role from its own source', profile: 'A', process: true, config: `[profile A]\nrole_arn = ${R('A')}\nsource_profile = mid\n[profile mid]\nrole_arn = ${R('mid')}\nsource_profile = proc\n[profile proc]\ncredential_process = cat PROCESS_JSON\n` },
  { id: 'quoted-name', origin: 'botocore accepts [profile "team admin"]; the JS SDK\'s loader does not', profile: 'team admin', config: `[profile "team admin"]\nrole_arn = ${R('team')}\nsource_profile = base\n`, credentials: keys('base'), differs: { unreadable: 'mfa-env reads the files with the JS SDK\'s loader (the contract); it says the section cannot be read instead of "not found"' } },
];
