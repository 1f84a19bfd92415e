/**
 * Issue 6, item 9: input fuzz. Random profile names, durations, serials and codes never crash
 * mfa-env ("unexpected error"), never reach STS when any of them is invalid, and never print to
 * stdout on failure. The validators are fuzzed in-process (thousands of cases, against oracles
 * written independently from the STS documentation); the CLI end to end on a smaller sample.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { assertProfileName } from '../../src/aws/profiles.js';
import { assertCode, assertSerial } from '../../src/mfa/validate.js';
import { DURATION_LIMITS, resolveDuration } from '../../src/session/duration.js';
import { entryFileName } from '../../src/store/layout.js';
import { redact } from '../../src/secrets.js';
import { startFakeSts, type FakeSts } from '../helpers/fake-sts.js';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from '../helpers/hardening.js';
import { makeSandbox } from '../helpers/sandbox.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CLI_RUNS = 60;

// --- Oracles: what STS and the contract accept, written without looking at the validators. ---

const SERIAL_CHARS = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+=/:,.@-');
/** GetSessionToken API reference: SerialNumber, 9–256 characters of [\w+=/:,.@-]. */
const serialIsValid = (serial: string) => serial.length >= 9 && serial.length <= 256 && [...serial].every((c) => SERIAL_CHARS.has(c));
/** TokenCode: exactly six ASCII digits. */
const codeIsValid = (code: string) => code.length === 6 && [...code].every((c) => c >= '0' && c <= '9');

/** `3600`, `90m`, `12h`, `1h30m`, `1h30m15s` (surrounding whitespace allowed) → seconds, else undefined. */
function durationSeconds(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if ([...t].every((c) => c >= '0' && c <= '9')) return Number(t);
  let rest = t;
  let total = 0;
  for (const [unit, factor] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const at = rest.indexOf(unit);
    if (at === -1) continue;
    const digits = rest.slice(0, at);
    if (digits === '' || ![...digits].every((c) => c >= '0' && c <= '9')) return undefined;
    total += Number(digits) * factor;
    rest = rest.slice(at + 1);
  }
  return rest === '' ? total : undefined;
}
const durationIsValid = (text: string | undefined) => {
  if (text === undefined) return true;
  const seconds = durationSeconds(text);
  return seconds !== undefined && seconds >= DURATION_LIMITS.session.min && seconds <= DURATION_LIMITS.session.max;
};

// --- Generators: mostly hostile, with enough valid values that the valid path is exercised. ---

const noNul = (s: string) => !s.includes('\0');
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).filter(noNul);
const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));

const codeArb = fc.oneof(
  { weight: 5, arbitrary: digits(6) },
  { weight: 1, arbitrary: digits(5) },
  { weight: 1, arbitrary: digits(7) },
  { weight: 1, arbitrary: fc.constantFrom('１２３４５６', ' 123456', '123456 ', '12345a', '-', '--help', '0x1234', '١٢٣٤٥٦', '') },
  { weight: 2, arbitrary: anyText },
);

const validDuration = fc.integer({ min: 900, max: 129_600 }).chain((s) =>
  fc.constantFrom(String(s), `${Math.floor(s / 60)}m`, `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`, ` ${s} `),
);
const durationArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: validDuration },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '899', '129601', '36h1s', '1e4', '0x10', '-3600', '1h-5m', 'h', '1h1h', '٣٦٠٠', '3600.0', '12 h', '99999999999999999999') },
  { weight: 2, arbitrary: anyText },
);

/** Values the INI loader reads back unchanged (no line breaks, no comment start, no edge whitespace). */
const iniValue = (s: string) => s !== '' && s === s.trim() && !/[\r\n\u2028\u2029]/.test(s) && !/(^|\s)[;#]/.test(s) && noNul(s);
const serialArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('arn:aws:iam::123456789012:mfa/alice', 'GAHT12345678', 'arn:aws:iam::123456789012:mfa/path/to+dev=1,@x.y-z') },
  { weight: 1, arbitrary: fc.constantFrom('12345678', 'arn:aws:iam::1:mfa/ä', 'arn aws iam', 'x'.repeat(257), '$(touch /tmp/pwned)', '`id`') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).filter(iniValue) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter(iniValue) },
);

const KNOWN_PROFILES = ['default', 'dev'];
const profileArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...KNOWN_PROFILES) },
  { weight: 1, arbitrary: fc.constantFrom('', '[default]', 'de\nv', 'x'.repeat(200), '-p', '--force', 'profile dev', '__proto__', 'dev\u007f') },
  { weight: 2, arbitrary: anyText },
);

describe('validators, in-process (thousands of cases)', () => {
  it('codes: accepted exactly when they are six ASCII digits; otherwise a UsageError', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        let error: unknown;
        try {
          assertCode(code, 'fuzz');
        } catch (e) {
          error = e;
        }
        expect(error === undefined).toBe(codeIsValid(code));
        if (error) expect(error).toBeInstanceOf(UsageError);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('serials: accepted exactly when STS would accept them; otherwise a UsageError', () => {
    fc.assert(
      fc.property(fc.oneof(serialArb, fc.string({ unit: 'binary', maxLength: 300 })), (serial) => {
        let error: unknown;
        try {
          assertSerial(serial, 'fuzz');
        } catch (e) {
          error = e;
        }
        expect(error === undefined).toBe(serialIsValid(serial));
        if (error) expect(error).toBeInstanceOf(UsageError);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('durations: a number of seconds within the range, or a UsageError, never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom('session', 'role') as fc.Arbitrary<'session' | 'role'>, fc.oneof(durationArb, fc.string({ maxLength: 12 })), (kind, text) => {
        let result: number | undefined;
        let error: unknown;
        try {
          result = resolveDuration(kind, text, 'fuzz');
        } catch (e) {
          error = e;
        }
        if (error) {
          expect(error).toBeInstanceOf(UsageError);
          return;
        }
        expect(Number.isInteger(result)).toBe(true);
        expect(result).toBeGreaterThanOrEqual(DURATION_LIMITS[kind].min);
        expect(result).toBeLessThanOrEqual(DURATION_LIMITS[kind].max);
        if (text !== undefined) expect(result).toBe(durationSeconds(text));
        if (kind === 'session') expect(durationIsValid(text)).toBe(true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('profile names: accepted or a UsageError; the cache file name is always one safe, distinct file name', () => {
    fc.assert(
      fc.property(profileArb, profileArb, (a, b) => {
        try {
          assertProfileName(a);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
        const name = entryFileName(a);
        expect(name).toMatch(/^session-[A-Za-z0-9_][A-Za-z0-9_.-]*\.json$/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
        if (a !== b) expect(entryFileName(b)).not.toBe(name);
        // A profile named like another's hashed file name gets a file of its own.
        const lookalike = name.slice('session-'.length, -'.json'.length);
        if (lookalike !== a) expect(entryFileName(lookalike)).not.toBe(name);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('redact: a secret anywhere in any text is gone afterwards, and key ids are masked', () => {
    const secretArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+='), minLength: 4, maxLength: 60 });
    fc.assert(
      fc.property(anyText, anyText, secretArb, fc.boolean(), (before, after, secret, withKey) => {
        const text = `${before}${secret}${after}${withKey ? ` ${ACCESS_KEY_ID} ` : ''}`;
        const out = redact(text, [secret]);
        expect(out).not.toContain(secret);
        if (withKey) expect(out).not.toContain(ACCESS_KEY_ID);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

/** One in four samples is valid throughout, so the success path is exercised as well. */
const inputsArb = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_PROFILES), fc.option(validDuration, { nil: undefined }), serialArb.filter(serialIsValid), digits(6)) },
  { weight: 3, arbitrary: fc.tuple(profileArb, durationArb, serialArb, codeArb) },
);

describe(`the CLI on ${CLI_RUNS} random inputs (seed ${SEED})`, () => {
  let fake: FakeSts;
  let cacheRoot: string;
  beforeAll(async () => {
    fake = await startFakeSts();
    cacheRoot = mkdtempSync(join(makeSandbox().home, 'fuzz-'));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(cacheRoot, { recursive: true, force: true });
  });

  it('never crashes, never calls STS with an invalid input, never prints to stdout on failure', async () => {
    let valid = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(inputsArb, async ([profile, duration, serial, code]) => {
        const sandbox = makeSandbox({ AWS_ENDPOINT_URL: fake.endpoint });
        try {
          sandbox.writeCredentials(`[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`);
          sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = ${serial}\n\n[profile dev]\nsource_profile = default\n`);
          const args = ['login', '--shell', 'bash', `--profile=${profile}`, `--token-code=${code}`];
          if (duration !== undefined) args.push(`--duration=${duration}`);
          const callsBefore = fake.calls.length;

          const result = await sandbox.run(args);

          const everythingValid = KNOWN_PROFILES.includes(profile) && serialIsValid(serial) && codeIsValid(code) && durationIsValid(duration);
          const context = `${JSON.stringify({ profile, duration, serial, code })}\n${result.stderr}`;
          expect(result.stderr, context).not.toContain('unexpected error');
          expect([0, 1, 2], context).toContain(result.exitCode);
          if (everythingValid) {
            valid++;
            expect(result.exitCode, context).toBe(0);
            expect(fake.calls.length - callsBefore, context).toBe(1);
            expect(fake.calls.at(-1)!.params.get('SerialNumber')).toBe(serial);
            expect(fake.calls.at(-1)!.params.get('TokenCode')).toBe(code);
            expect(result.stdout).toMatch(/^(?:\\builtin )?\\?export AWS_SESSION_TOKEN=/m);
          } else {
            invalid++;
            expect(result.exitCode, context).not.toBe(0);
            expect(fake.calls.length - callsBefore, context).toBe(0);
            expect(result.stdout, context).toBe('');
          }
        } finally {
          sandbox.cleanup();
        }
      }),
      { seed: SEED, numRuns: CLI_RUNS, endOnFailure: true },
    );
    // Both paths were exercised, or the sample proved little.
    expect(valid).toBeGreaterThanOrEqual(5);
    expect(invalid).toBeGreaterThanOrEqual(15);
  }, 180_000);
});
