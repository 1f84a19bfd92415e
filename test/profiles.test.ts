/** The profiles loader and resolution: keys in any case, unreadable sections, near misses, hops. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadAllProfiles, profileNotFound } from '../src/aws/profiles.js';
import { resolveProfile } from '../src/aws/role-chain.js';
import { MfaEnvError } from '../src/errors.js';
import { makeSandbox, type Sandbox } from './helpers/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

function files(config: string, credentials = '') {
  sandbox = makeSandbox();
  sandbox.writeConfig(config);
  sandbox.writeCredentials(credentials);
  return { configFile: sandbox.configFile, credentialsFile: sandbox.credentialsFile };
}

function notFoundMessage(name: string, config: string): string {
  const paths = files(config);
  return profileNotFound(name, paths, ['dev', 'prod', 'default']).message;
}

describe('keys are case-insensitive, as in botocore and aws-vault', () => {
  it('lower-cases key names from both files; a credentials-file key still wins', async () => {
    const profiles = await loadAllProfiles(
      files('[profile admin]\nRole_Arn = arn:aws:iam::1:role/a\nSOURCE_PROFILE = base\nMFA_Serial = arn:aws:iam::1:mfa/u\n', '[base]\nAWS_Access_Key_Id = AKIA1\naws_secret_access_key = s\n[admin]\nmfa_serial = arn:aws:iam::1:mfa/other\n'),
    );
    expect(profiles.admin).toEqual({ role_arn: 'arn:aws:iam::1:role/a', source_profile: 'base', mfa_serial: 'arn:aws:iam::1:mfa/other' });
    expect(profiles.base?.aws_access_key_id).toBe('AKIA1');
    const resolved = resolveProfile('admin', profiles);
    expect(resolved).toMatchObject({ flow: 'role', first: { kind: 'static', profile: 'base' }, mfaSerial: 'arn:aws:iam::1:mfa/other', mfaHop: 0 });
  });
});

describe('a profile that is not there', () => {
  it('a quoted name with a space: says the SDK cannot read the section, never "not found"', () => {
    const message = notFoundMessage('team admin', '[profile "team admin"]\nregion = eu-west-1\n');
    expect(message).toMatch(/the section \[profile "team admin"\] in .*config cannot be read by the AWS SDK's loader/);
    expect(message).not.toMatch(/not in/);
  });

  it('two spaces after `profile` and a bare [dev] in the config file are named too', () => {
    expect(notFoundMessage('ops', '[profile  ops]\nregion = x\n')).toMatch(/\[profile  ops\].*cannot be read/);
    const bare = files('[staging]\nregion = x\n');
    const error = profileNotFound('staging', bare, []);
    expect(error.message).toMatch(/\[staging\].*cannot be read.*`\[profile NAME\]`/);
    expect(error.hint).toBe('Write the header as [profile staging].');
  });

  it('one or two edits from a real profile: did you mean', () => {
    expect(notFoundMessage('dve', '')).toMatch(/did you mean dev\?/);
    expect(notFoundMessage('prd', '')).toMatch(/did you mean prod\?/);
    expect(notFoundMessage('Dev', '')).toMatch(/did you mean dev\?/);
    expect(notFoundMessage('staging', '')).not.toMatch(/did you mean/);
  });
});

describe('resolution details beyond the corpus', () => {
  const keys = { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' };

  it('the code goes with the first hop that has mfa_serial; later hops keep theirs for reference only', () => {
    const resolved = resolveProfile('c', {
      c: { role_arn: 'arn:aws:iam::1:role/c', source_profile: 'b', mfa_serial: 'arn:aws:iam::1:mfa/x' },
      b: { role_arn: 'arn:aws:iam::1:role/b', source_profile: 'a', mfa_serial: 'arn:aws:iam::1:mfa/x' },
      a: keys,
    });
    expect(resolved.flow).toBe('chain');
    expect(resolved.mfaHop).toBe(0);
    expect(resolved.hops.map((hop) => hop.profile)).toEqual(['b', 'c']);
  });

  it('a session profile may borrow keys and device from source_profile (mfa-env only)', () => {
    const resolved = resolveProfile('s', { s: { source_profile: 'a', region: 'eu-west-1' }, a: { ...keys, mfa_serial: 'arn:aws:iam::1:mfa/a' } });
    expect(resolved).toMatchObject({ flow: 'session', first: { kind: 'static', profile: 'a' }, mfaSerial: 'arn:aws:iam::1:mfa/a', mfaSerialProfile: 'a', region: 'eu-west-1' });
  });

  it('a profile with nothing to log in with is flow none, with the reason', () => {
    expect(resolveProfile('r', { r: { region: 'x' } })).toMatchObject({ flow: 'none', problem: expect.stringMatching(/no keys/) });
  });

  it('an SSO or credential_process source is named as such', () => {
    const sso = resolveProfile('r', { r: { role_arn: 'arn:aws:iam::1:role/r', source_profile: 's' }, s: { sso_session: 'corp', sso_account_id: '1' } });
    expect(sso.first).toEqual({ kind: 'sso', profile: 's' });
    expect(() => resolveProfile('r', { r: { role_arn: 'arn:aws:iam::1:role/r', source_profile: 's' }, s: { region: 'x' } })).toThrow(MfaEnvError);
  });
});

describe('did you mean: only for typos', () => {
  it('short names allow one edit, a swap of neighbours is one edit', async () => {
    const { similarNames } = await import('../src/aws/profile-sections.js');
    expect(similarNames('nope', ['role', 'default'])).toEqual([]);
    expect(similarNames('dve', ['dev', 'prod'])).toEqual(['dev']);
    expect(similarNames('prodution', ['production', 'prod'])).toEqual(['production']);
    expect(similarNames('stagign', ['staging'])).toEqual(['staging']);
  });
});
