import { describe, expect, it } from 'vitest';
import { useFakeStsSandbox, type StsAnswer } from './helpers/fake-sts.js';
import { freePort } from './helpers/moto.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
let codeCounter = 310000;
const nextCode = () => String(codeCounter++);

/**
 * Each STS fault from ANCHORS.md, answered with real STS error XML by a loopback server so the
 * SDK's own parsing runs: a specific message with the fix, exit 1, empty stdout, one call only.
 */
describe('STS faults become specific messages', () => {
  const suite = useFakeStsSandbox({
    credentials: `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
    config: `[default]\nmfa_serial = ${SERIAL}\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n`,
  });

  async function loginFailing(answer: StsAnswer, args: string[] = []) {
    suite.sts.answer = () => answer;
    const code = nextCode();
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', code, ...args]);
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(1);
    expect(suite.sts.calls).toHaveLength(1); // never retried: a code is good for one use
    expect(result.stderr).not.toContain(code);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toMatch(/unexpected error/);
    return result.stderr;
  }

  const error = (code: string, message: string, status = 403): StsAnswer => ({ kind: 'error', status, code, message });

  it('wrong or reused code: says both, and to wait for the next code', async () => {
    const stderr = await loginFailing(error('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. '));
    expect(stderr).toMatch(/rejected the MFA code: it is wrong, or it was already used/);
    expect(stderr).toMatch(/Wait for the next code/);
  });

  it('bad serial: names the device and points at mfa_serial / setup', async () => {
    const stderr = await loginFailing(
      error('AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.'),
    );
    expect(stderr).toContain(`MFA device ${SERIAL}`);
    expect(stderr).toMatch(/Fix mfa_serial in profile "default".*mfa-env setup/s);
  });

  it('clock skew (SignatureDoesNotMatch: Signature expired): tells the user to fix the clock', async () => {
    const stderr = await loginFailing(
      error('SignatureDoesNotMatch', 'Signature expired: 20261129T040000Z is now earlier than 20261129T041000Z (20261129T042500Z - 15 min.)'),
    );
    expect(stderr).toMatch(/clock is off/);
    expect(stderr).toMatch(/timedatectl/);
  });

  it('clock skew (RequestExpired)', async () => {
    const stderr = await loginFailing(error('RequestExpired', 'Request has expired.', 400));
    expect(stderr).toMatch(/clock is off/);
  });

  it('wrong secret key (SignatureDoesNotMatch without expiry)', async () => {
    const stderr = await loginFailing(
      error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'),
    );
    expect(stderr).toMatch(/secret access key of profile "default" does not match/);
  });

  it('expired token', async () => {
    const stderr = await loginFailing(error('ExpiredToken', 'The security token included in the request is expired'));
    expect(stderr).toMatch(/expired session token/);
  });

  it('unknown access key', async () => {
    const stderr = await loginFailing(error('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    expect(stderr).toMatch(/does not know the access key id of profile "default"/);
  });

  it('GetSessionToken with session credentials', async () => {
    const stderr = await loginFailing(error('AccessDenied', 'Cannot call GetSessionToken with session credentials'));
    expect(stderr).toMatch(/holds session credentials, but GetSessionToken needs long-term access keys/);
  });

  it('throttling', async () => {
    const stderr = await loginFailing(error('Throttling', 'Rate exceeded', 400));
    expect(stderr).toMatch(/throttling/);
    expect(stderr).toMatch(/does not retry/);
  });

  it('duration over the role maximum', async () => {
    const stderr = await loginFailing(
      error('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400),
      ['--profile', 'admin', '--duration', '12h'],
    );
    expect(stderr).toMatch(/longer than role arn:aws:iam::123456789012:role\/admin allows/);
    expect(stderr).toMatch(/--duration 1h/);
    expect(suite.sts.calls[0]!.params.get('DurationSeconds')).toBe('43200');
  });

  it('an error that echoes the code back is masked', async () => {
    // The fake echoes whatever code arrives, like STS does.
    suite.sts.answer = (call) => error('ValidationError', `1 validation error detected: Value '${call.params.get('TokenCode')}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`, 400);
    const code = nextCode();
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', code]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(suite.sts.calls[0]!.params.get('TokenCode')).toBe(code);
    expect(result.stderr).toContain("Value '****' at 'tokenCode'");
    expect(result.stderr).not.toContain(code);
  });

  it('no network: connection refused names the fault', async () => {
    const port = await freePort(); // nothing listens there
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()], {
      env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cannot reach STS: the STS endpoint refused the connection \(ECONNREFUSED\)/);
  });

  it('a failed login leaves no cache entry behind', async () => {
    await loginFailing(error('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. '));
    suite.sts.answer = () => ({ kind: 'credentials' });
    suite.sts.calls.length = 0;
    const result = await suite.sandbox.run(['login', '--shell', 'bash', '--token-code', nextCode()]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(suite.sts.calls).toHaveLength(1);
  });
});
