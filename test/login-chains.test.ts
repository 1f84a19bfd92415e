/**
 * Chains of roles in login, against the fake STS (it can fail on demand and records each
 * call's parameters and signer): the code once, at the hop with the device; cached MFA
 * sessions per hop; a code given back when the hop before the device's failed.
 */
import { describe, expect, it } from 'vitest';
import { useFakeStsSandbox } from './helpers/fake-sts.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const R = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
let codeCounter = 610000;
const nextCode = () => String(codeCounter++);
const signingKey = (headers: Record<string, unknown>) => /Credential=([A-Z0-9]+)\//.exec(String(headers.authorization))?.[1];

describe('login of a chain of roles', () => {
  const suite = useFakeStsSandbox({
    credentials: '[user]\naws_access_key_id = AKIAUSEREXAMPLE00001\naws_secret_access_key = secret1\n',
    config:
      `[profile user]\nmfa_serial = ${SERIAL}\n` +
      `[profile jump]\nrole_arn = ${R('jump')}\nsource_profile = user\n` +
      `[profile target]\nrole_arn = ${R('target')}\nsource_profile = jump\n` +
      `[profile late]\nrole_arn = ${R('late')}\nsource_profile = plainjump\nmfa_serial = ${SERIAL}\n` +
      `[profile plainjump]\nrole_arn = ${R('plainjump')}\nsource_profile = keysonly\n` +
      '[profile keysonly]\naws_access_key_id = AKIAKEYSONLYEXAMPLE1\naws_secret_access_key = secret2\n',
  });
  const calls = () => suite.sts.calls.map((call) => [call.params.get('RoleArn'), call.params.get('SerialNumber'), call.params.get('TokenCode'), signingKey(call.headers)]);

  it('the code goes with the first hop (the source\'s device); the second is signed with the first hop\'s session', async () => {
    const code = nextCode();
    const result = await suite.sandbox.run(['login', '--profile', 'target', '--shell', 'bash', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(calls()).toEqual([
      [R('jump'), SERIAL, code, 'AKIAUSEREXAMPLE00001'],
      [R('target'), null, null, expect.stringMatching(/^ASIAFAKE/)],
    ]);
    for (const line of result.stderr.trimEnd().split('\n')) expect(line).toMatch(/^mfa-env: /);
  });

  it('a cached GetSessionToken session of the IAM user assumes the first hop without a code', async () => {
    const session = await suite.sandbox.run(['login', '--profile', 'user', '--shell', 'bash', '--token-code', nextCode()]);
    expect(session.exitCode, session.stderr).toBe(0);
    suite.sts.calls.length = 0;
    const result = await suite.sandbox.run(['login', '--profile', 'target', '--shell', 'bash', '--force']); // no code, no terminal
    expect(result.exitCode, result.stderr).toBe(0);
    expect(calls()).toEqual([
      [R('jump'), null, null, expect.stringMatching(/^ASIAFAKE/)],
      [R('target'), null, null, expect.stringMatching(/^ASIAFAKE/)],
    ]);
    expect(result.stderr).toContain(`assuming ${R('jump')} with the cached MFA session of profile "user" (no new code; role chaining allows at most 1h)`);
  });

  it('mfa_serial on the last hop: the first hop without a code, the last with it; a failed first hop gives the code back', async () => {
    const code = nextCode();
    suite.sts.answer = (call) => (call.params.get('RoleArn') === R('plainjump') ? { kind: 'error', status: 403, code: 'AccessDenied', message: 'not allowed' } : { kind: 'credentials' });
    const failed = await suite.sandbox.run(['login', '--profile', 'late', '--shell', 'bash', '--token-code', code]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toBe('');
    suite.sts.answer = () => ({ kind: 'credentials' });
    suite.sts.calls.length = 0;
    // The same code again: it never reached AWS, so it is not refused as spent.
    const result = await suite.sandbox.run(['login', '--profile', 'late', '--shell', 'bash', '--token-code', code]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(calls()).toEqual([
      [R('plainjump'), null, null, 'AKIAKEYSONLYEXAMPLE1'],
      [R('late'), SERIAL, code, expect.stringMatching(/^ASIAFAKE/)],
    ]);
  });
});
