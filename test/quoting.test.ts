import { execa, type Options } from 'execa';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveShell } from '../src/shells/index.js';
import { startFakeSts } from './helpers/fake-sts.js';
import { makeSandbox } from './helpers/sandbox.js';
import { ALL_SHELLS, SHELL_TABLE, type ShellName } from './helpers/shells.js';

const scratch = mkdtempSync(join(tmpdir(), 'mfa-env-quoting-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const canary = join(scratch, 'pwned');

/** Fragments that break naive quoting, plus commands that would create the canary if run. */
const NASTY = [
  "'", '"', '\\', '\\\\', "\\'", '$', '$(', ')', '`', '${', '}', '\n', '\r', '\t', ' ', '!', '*', '?', '~', '#', ';', '&', '|', '<', '>',
  "$'", '%', '^', '{a,b}', '[x]', '\u00e9', '\u{1F600}', '\u2028', '\u00a0', '\u001b[31m',
  `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`, `\\'; touch ${canary} #`,
  `(touch ${canary})`, `; touch ${canary}`,
];

const value = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 8 })
  .map((parts) => parts.join('').replaceAll('\0', ''));

/** Reads variables back NUL-separated, in each shell's own way. */
function readBack(shell: ShellName, names: string[]): string {
  // `string join0` prints an empty value fine but returns 1 for it.
  if (shell === 'fish') return names.map((n) => `string join0 -- $${n}; or true`).join('\n');
  return names.map((n) => `printf '%s\\0' "$${n}"`).join('\n');
}


let scriptCounter = 0;

/** Runs `script` from a file (fish does not read a script from a pipe the way sh does). */
function runScript<O extends Options>(shell: ShellName, script: string, options: O) {
  const file = join(scratch, `script-${scriptCounter++}.${shell}`);
  writeFileSync(file, script);
  // Strict where the shell has it; bash without pipefail, as before (no pipes here).
  const row = SHELL_TABLE[shell];
  return execa(row.command, [...row.strict, file], options);
}

async function roundTrip(shellName: ShellName, values: string[]): Promise<string[]> {
  const shell = resolveShell(shellName);
  const names = values.map((_, i) => `MFA_ENV_FUZZ_${i}`);
  const code = values.map((v, i) => shell.exportVar(names[i]!, v)).join('\n');
  const result = await runScript(shellName, `${code}\n${readBack(shellName, names)}\n`, {
    env: { PATH: process.env.PATH! },
    extendEnv: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
  });
  expect(Buffer.from(result.stderr).toString(), `${shellName} stderr`).toBe('');
  expect(result.exitCode).toBe(0);
  const out = Buffer.from(result.stdout).toString('utf8');
  return out.split('\0').slice(0, -1);
}

describe('quoting: any string round-trips byte-for-byte through real shells and runs nothing', () => {
  for (const shell of ALL_SHELLS) {
    it(`${shell}: random strings built from hostile fragments`, async () => {
      // One shell process evaluates a whole batch; several batches of fast-check samples.
      const samples = fc.sample(value, { numRuns: 300, seed: 20261129 });
      for (const edge of ['', "'", '\\', 'a\\', "\\'", '\n', 'trailing\\', "''", '\\\\\\']) samples.push(edge);
      const back = await roundTrip(shell, samples);
      expect(back).toEqual(samples);
      expect(existsSync(canary)).toBe(false);
    });

    it(`${shell}: property holds for fresh random seeds`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 40 }), async (values) => {
          expect(await roundTrip(shell, values)).toEqual(values);
        }),
        { numRuns: 5 },
      );
      expect(existsSync(canary)).toBe(false);
    });
  }

  it('fish: a trailing backslash is quoted the fish way (POSIX quoting would break it)', () => {
    expect(resolveShell('fish').quote('a\\')).toBe("'a\\\\'");
    expect(resolveShell('bash').quote('a\\')).toBe("'a\\'");
  });

  it('login: a hostile profile name and hostile STS values are exported literally', async () => {
    const sts = await startFakeSts(() => ({
      kind: 'credentials',
      accessKeyId: "AKIA'$(x)",
      secretAccessKey: `s\`touch ${canary}\`\\`,
      sessionToken: `t'; touch ${canary}; '\n$HOME`,
    }));
    const sandbox = makeSandbox({ AWS_ENDPOINT_URL: sts.endpoint });
    const profile = `it's $(touch ${canary})`;
    sandbox.writeCredentials(`[${profile}]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n`);
    try {
      for (const shell of ALL_SHELLS) {
        const result = await sandbox.run(['login', '--force', '--profile', profile, '--shell', shell, '--token-code', String(100000 + Math.floor(Math.random() * 899999))]);
        expect(result.exitCode, result.stderr).toBe(0);
        const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'MFA_ENV_PROFILE'];
        const back = await runScript(shell, `${result.stdout}\n${readBack(shell, names)}\n`, { env: { PATH: process.env.PATH!, HOME: '/nonexistent' }, extendEnv: false, stripFinalNewline: false });
        expect(String(back.stdout).split('\0').slice(0, -1)).toEqual([
          "AKIA'$(x)",
          `s\`touch ${canary}\`\\`,
          `t'; touch ${canary}; '\n$HOME`,
          profile,
        ]);
      }
      expect(existsSync(canary)).toBe(false);
    } finally {
      sandbox.cleanup();
      await sts.close();
    }
  });
});
