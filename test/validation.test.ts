import { Readable } from 'node:stream';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseDuration, resolveDuration } from '../src/session/duration.js';
import { useSharedFakeStsSandbox } from './helpers/fake-sts.js';
import { CLI } from './helpers/sandbox.js';

describe('durations', () => {
  it('parses seconds and units', () => {
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('12h')).toBe(43200);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h30m15s')).toBe(5415);
    for (const bad of ['', 'h', '1.5h', '-5', '12 hours', '1d', 'm30', '1h1h']) expect(parseDuration(bad), bad).toBeUndefined();
  });
  it('checks each flow\'s range', () => {
    expect(resolveDuration('session', '36h', '--duration')).toBe(129600);
    expect(() => resolveDuration('session', '37h', '--duration')).toThrow(/outside what GetSessionToken allows: 15m to 36h/);
    expect(() => resolveDuration('role', '13h', '--duration')).toThrow(/outside what AssumeRole allows: 15m to 12h/);
    expect(() => resolveDuration('role', '14m', '--duration')).toThrow(/15m/);
    expect(resolveDuration('role', undefined, '--duration')).toBe(3600);
    expect(resolveDuration('session', undefined, '--duration')).toBe(43200);
  });
});

/** Bad input: a specific error naming the fault and the fix, exit 2, stdout empty, and no STS call. */
describe('bad input never reaches STS', () => {
  const suite = useSharedFakeStsSandbox({
    credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n[badserial]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\nmfa_serial = not a serial!\n',
    config: '[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nduration_seconds = 99\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n[profile long]\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nduration_seconds = 3600\n',
  });

  const cases: Array<[string, string[], RegExp, number]> = [
    ['code too short', ['--profile', 'long', '--token-code', '12345'], /invalid MFA code \(--token-code\): it must be exactly 6 digits/, 2],
    ['code with letters', ['--profile', 'long', '--token-code', '12a456'], /exactly 6 digits/, 2],
    ['code too long', ['--profile', 'long', '--token-code', '1234567'], /exactly 6 digits/, 2],
    ['duration syntax', ['--profile', 'long', '--duration', '12 hours', '--token-code', '123456'], /invalid duration "12 hours" \(--duration\)/, 2],
    ['duration too long for a session', ['--profile', 'long', '--duration', '40h', '--token-code', '123456'], /duration 40h \(--duration\) is outside what GetSessionToken allows/, 2],
    ['duration too long for a role', ['--profile', 'role', '--duration', '13h', '--token-code', '123456'], /outside what AssumeRole allows: 15m to 12h/, 2],
    ['duration_seconds in the profile', ['--profile', 'default', '--token-code', '123456'], /duration 1m39s \(duration_seconds of profile "default"\)/, 2],
    ['serial format', ['--profile', 'badserial', '--token-code', '123456'], /invalid MFA serial "not a serial!" \(mfa_serial of profile "badserial"\)/, 2],
    ['unknown shell', ['--profile', 'long', '--shell', 'tcsh', '--token-code', '123456'], /unknown shell "tcsh"/, 2],
    ['unknown profile', ['--profile', 'nope', '--token-code', '123456'], /profile "nope" is not in .*Known profiles: badserial, default, long, role/s, 1],
    ['profile name with a newline', ['--profile', 'a\nb', '--token-code', '123456'], /invalid profile name/, 2],
    ['unknown option', ['--tokn-code', '123456'], /Unsupported option name/, 2],
  ];

  for (const [name, args, message, exitCode] of cases) {
    it(name, async () => {
      const result = await suite.sandbox.run(['login', ...args]);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.exitCode).toBe(exitCode);
      expect(suite.sts.calls).toHaveLength(0);
    });
  }

  it('a role profile without source_profile is explained', async () => {
    suite.sandbox.writeConfig('[profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/admin\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n');
    const result = await suite.sandbox.run(['login', '--profile', 'orphan', '--token-code', '123456']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/role profile "orphan" has no source_profile/);
    expect(suite.sts.calls).toHaveLength(0);
  });
});

/** login and exec share one set of flags and one reader of --token-code (src/commands/login-options.ts, token-code.ts). */
describe('the flags of the commands that log in', () => {
  const suite = useSharedFakeStsSandbox({
    credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n',
    config: '[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n',
  });

  const commands: Array<[string, string[], string[]]> = [['login', ['login'], []], ['exec', ['exec'], ['--', 'true']]];
  for (const [name, head, tail] of commands) {
    it(`${name}: a bad code read with --token-code - is refused before any STS call`, async () => {
      const result = await suite.sandbox.run([...head, '--token-code', '-', ...tail], { input: '12345\n' });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/invalid MFA code \(read from stdin for --token-code -\)/);
      expect(suite.sts.calls).toHaveLength(0);
    });

    it(`${name}: --token-code - stops reading a stdin that never ends (at 1 KiB) and refuses it`, async () => {
      const endless = Readable.from((function* () {
        for (;;) yield '1'.repeat(512);
      })());
      const result = await execa(process.execPath, [CLI, ...head, '--token-code', '-', ...tail], { env: suite.sandbox.env, extendEnv: false, input: endless, reject: false, timeout: 20_000, detached: true });
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(2);
      expect(String(result.stderr)).toMatch(/exactly 6 digits/);
      expect(suite.sts.calls).toHaveLength(0);
    });

    it(`${name}: --flag=value and a flag without its value read the same way`, async () => {
      const bound = await suite.sandbox.run([...head, '--profile=default', '--token-code=12345', ...tail]);
      expect(bound.exitCode).toBe(2);
      expect(bound.stderr).toMatch(/invalid MFA code \(--token-code\)/);
      const missing = await suite.sandbox.run([...head, '--profile', ...tail]);
      expect(missing.exitCode).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/Not enough arguments to option --profile/);
      expect(suite.sts.calls).toHaveLength(0);
    });
  }
});
