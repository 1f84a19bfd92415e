/**
 * Issue 6, item 8: network faults. No network (connection refused), a DNS failure, a timeout,
 * throttling, a 5xx and a dropped connection each give a message of their own (exit 1, the
 * contract's failure code), leave the shell (stdout empty, `eval` changes nothing) and the cache
 * entries untouched, and never retry a call that carries an MFA code (exactly one call). A code
 * that provably never left the machine (refused, DNS) can be used again; one that may have
 * reached AWS cannot.
 */
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSts, type FakeSts, type StsAnswer } from '../helpers/fake-sts.js';
import { freePort } from '../helpers/moto.js';
import { CLI, type Sandbox } from '../helpers/sandbox.js';
import { sessionEntries, stsSandbox } from '../helpers/hardening.js';

/** What the user's shell holds before the failed login: it must hold exactly this after. */
const SHELL_BEFORE = 'AKIAOLDSESSIONKEY001|old-token|default';

let fake: FakeSts;
/** The answer fake-sts gives the next call. */
let next: StsAnswer = { kind: 'credentials' };
let refusedEndpoint: string;
const firstLines = new Map<string, string>();

beforeAll(async () => {
  fake = await startFakeSts(() => next);
  refusedEndpoint = `http://127.0.0.1:${await freePort()}`; // nothing listens there
});
afterAll(async () => {
  await fake.close();
});

/** A sandbox with two cache entries (an expired one of the profile, a live one of another) to prove they are untouched. */
function seededSandbox(): Sandbox {
  const sandbox = stsSandbox(fake);
  mkdirSync(sandbox.cacheDir, { recursive: true, mode: 0o700 });
  const session = (profile: string, expiration: string) =>
    JSON.stringify({ version: 1, fingerprint: 'seed', session: { profile, kind: 'session', accessKeyId: 'ASIASEED', secretAccessKey: 's', sessionToken: 't', expiration } });
  writeFileSync(join(sandbox.cacheDir, 'session-default.json'), session('default', '2020-01-01T00:00:00Z'), { mode: 0o600 });
  writeFileSync(join(sandbox.cacheDir, 'session-other.json'), session('other', '2099-01-01T00:00:00Z'), { mode: 0o600 });
  return sandbox;
}

/** `eval "$(mfa-env login …)"` in a bash that holds an earlier session; returns what the shell holds after. */
async function loginInShell(sandbox: Sandbox, env: Record<string, string>, code: string) {
  const script = [
    'export AWS_ACCESS_KEY_ID=AKIAOLDSESSIONKEY001 AWS_SESSION_TOKEN=old-token AWS_PROFILE=default',
    `out="$("$NODE" "$CLI" login --shell bash --token-code ${code} 2>"$ERR_FILE")"; status=$?`,
    'eval "$out"',
    'printf "%s\\n%s\\n%s|%s|%s" "$status" "${#out}" "$AWS_ACCESS_KEY_ID" "$AWS_SESSION_TOKEN" "$AWS_PROFILE"',
  ].join('\n');
  const errFile = join(sandbox.home, `stderr-${code}`);
  const started = Date.now();
  const result = await execa('bash', ['--noprofile', '--norc', '-c', script], {
    env: { ...sandbox.env, ...env, NODE: process.execPath, CLI, ERR_FILE: errFile },
    extendEnv: false,
    detached: true,
    timeout: 30_000,
  });
  const [status, stdoutLength, shell] = String(result.stdout).split('\n');
  const { readFileSync } = await import('node:fs');
  return { exitCode: Number(status), stdoutLength: Number(stdoutLength), shell, stderr: readFileSync(errFile, 'utf8'), ms: Date.now() - started };
}

type Case = {
  name: string;
  env: () => Record<string, string>;
  answer?: StsAnswer;
  message: RegExp;
  /** Calls the fake STS must have seen (undefined: the request never reaches it). */
  calls?: number;
  /** Whether the code may be sent again afterwards (it never left the machine). */
  codeReusable: boolean;
  maxMs?: number;
};

const CASES: Case[] = [
  {
    name: 'no network (connection refused)',
    env: () => ({ AWS_ENDPOINT_URL: refusedEndpoint }),
    message: /cannot reach STS: the STS endpoint refused the connection \(ECONNREFUSED\)[\s\S]*The MFA code was not sent, so it can still be used\./,
    codeReusable: true,
  },
  {
    name: 'DNS failure (.invalid never resolves)',
    env: () => ({ AWS_ENDPOINT_URL: 'http://sts.nonexistent.invalid' }),
    message: /cannot reach STS: the STS endpoint's host name could not be resolved (right now )?\(DNS\) \((ENOTFOUND|EAI_AGAIN)\)[\s\S]*The MFA code was not sent/,
    codeReusable: true,
  },
  {
    name: 'timeout (STS never answers, MFA_ENV_TIMEOUT=1)',
    env: () => ({ MFA_ENV_TIMEOUT: '1' }),
    answer: { kind: 'hang' },
    message: /STS did not answer in time \(timeout\)[\s\S]*MFA_ENV_TIMEOUT[\s\S]*The MFA code may have reached AWS: use the next one\./,
    calls: 1,
    codeReusable: false,
    maxMs: 10_000,
  },
  {
    name: 'throttling (Rate exceeded)',
    env: () => ({}),
    answer: { kind: 'error', status: 400, code: 'Throttling', message: 'Rate exceeded' },
    message: /STS is throttling requests \(Rate exceeded\)[\s\S]*does not retry a call that carries an MFA code/,
    calls: 1,
    codeReusable: false,
  },
  {
    name: 'STS unavailable (503, which SDKs normally retry)',
    env: () => ({}),
    answer: { kind: 'error', status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable', type: 'Receiver' },
    message: /STS GetSessionToken failed: ServiceUnavailable: Service is unavailable/,
    calls: 1,
    codeReusable: false,
  },
  {
    name: 'connection dropped mid-call (ECONNRESET, which SDKs normally retry)',
    env: () => ({}),
    answer: { kind: 'reset' },
    message: /cannot reach STS: the connection to STS was reset \(ECONNRESET\)/,
    calls: 1,
    codeReusable: false,
  },
];

describe('network faults', () => {
  CASES.forEach((fault, index) => {
    it(`${fault.name}: its own message, exit 1, shell and cache untouched, no retry`, async () => {
      const sandbox = seededSandbox();
      try {
        const before = sessionEntries(sandbox.cacheDir);
        const code = String(700_000 + index);
        fake.calls.length = 0;
        next = fault.answer ?? { kind: 'credentials' };

        const result = await loginInShell(sandbox, fault.env(), code);

        expect(result.exitCode, result.stderr).toBe(1);
        expect(result.stdoutLength).toBe(0);
        expect(result.shell).toBe(SHELL_BEFORE);
        expect(result.stderr).toMatch(fault.message);
        expect(result.stderr).not.toContain('unexpected error');
        expect(sessionEntries(sandbox.cacheDir)).toEqual(before);
        if (fault.calls !== undefined) expect(fake.calls).toHaveLength(fault.calls);
        else expect(fake.calls).toHaveLength(0);
        if (fault.maxMs) expect(result.ms).toBeLessThan(fault.maxMs);
        firstLines.set(fault.name, result.stderr.split('\n').find((line) => line.startsWith('mfa-env: ') && !line.includes('warning:') && !line.includes('note:'))!);

        // The same code again, now that STS answers: allowed only if it never left the machine.
        next = { kind: 'credentials' };
        fake.calls.length = 0;
        const again = await sandbox.run(['login', '--shell', 'bash', '--token-code', code]);
        if (fault.codeReusable) {
          expect(again.exitCode, again.stderr).toBe(0);
          expect(fake.calls.map((call) => call.params.get('TokenCode'))).toEqual([code]);
        } else {
          expect(again.exitCode).toBe(1);
          expect(again.stderr).toContain('that MFA code was already sent for this device');
          expect(fake.calls).toHaveLength(0);
        }
      } finally {
        sandbox.cleanup();
      }
    });
  });

  it('every fault above has a message of its own', () => {
    expect(firstLines.size).toBe(CASES.length);
    expect(new Set(firstLines.values()).size).toBe(CASES.length);
  });
});
