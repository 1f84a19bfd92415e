/**
 * Sessions that follow you: a hostile session in a follow file reaches the shell exactly as
 * written, and runs nothing (fuzz in the manner of quoting.test.ts). The shells read the file
 * with builtins (bash/zsh `read -d ''`/`$(<file)`, fish `string split0`) at the prompt hook.
 */
import { execa } from 'execa';
import fc from 'fast-check';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFollowFile, type FollowRecord } from '../src/store/follow-file.js';
import { CLI } from './helpers/sandbox.js';
import { runShellFile, scratchDir, SHELLS, type TestShell } from './helpers/shell-integration.js';

const scratch = scratchDir('mfa-env-follow-quoting-');
afterAll(() => scratch.cleanup());
const canary = join(scratch.dir, 'pwned');
const cacheHome = join(scratch.dir, 'cache');
const cacheDir = join(cacheHome, 'mfa-env');
mkdirSync(cacheDir, { recursive: true, mode: 0o700 });

const NASTY = [
  "'", '"', '\\', "\\'", '$', '$(', ')', '`', '${', '}', '\n', '\r', '\t', ' ', '!', '*', '?', '~', '#', ';', '&', '|', '<', '>',
  "$'", '%', '{a,b}', '[x]', '\u00e9', '\u{1F600}', '\u2028', '\u001b[31m', '-n', '-e',
  `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`,
];
const value = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 12 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join('').replaceAll('\0', ''))
  .filter((text) => text !== '');

const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'MFA_ENV_PROFILE', 'MFA_ENV_EXPIRES'];

async function init(shell: TestShell): Promise<string> {
  const result = await execa(process.execPath, [CLI, 'init', shell], { env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: cacheHome, HOME: scratch.dir }, extendEnv: false });
  return `${String(result.stdout)}\n`;
}

/** Loads the integration, puts an older session of dev in place, runs one prompt hook, prints the variables NUL-separated. */
function script(shell: TestShell, integration: string): string {
  if (shell === 'fish') {
    return `${integration}\nset -gx MFA_ENV_PROFILE dev\nset -gx MFA_ENV_EXPIRES 1\nemit fish_prompt\n${NAMES.map((n) => `string join0 -- $${n}; or true`).join('\n')}\n`;
  }
  const hook = shell === 'bash' ? '__mfa_env_hook' : '__mfa_env_precmd';
  return `${integration}\nexport MFA_ENV_PROFILE=dev MFA_ENV_EXPIRES=1\n${hook}\n${NAMES.map((n) => `printf '%s\\0' "$${n}"`).join('\n')}\n`;
}

describe.each(SHELLS)('%s takes a hostile session over exactly', (shell) => {
  it('round-trips 25 fuzzed sessions and runs none of them', async () => {
    const integration = await init(shell);
    const file = scratch.write(`take-over.${shell}`, script(shell, integration));
    const samples = fc.sample(fc.tuple(value, value, value, value, value), { numRuns: 25, seed: 20261201 });
    for (const [key, secret, token, iso, region] of samples) {
      const record: FollowRecord = { expires: '4102444800', kind: 'session', sourceProfile: '', accessKeyId: key, secretAccessKey: secret, sessionToken: token, credentialExpiration: iso, region, profile: 'dev', identityArn: '' };
      writeFollowFile(record, cacheDir);
      const result = await runShellFile(shell, file, { HOME: scratch.dir }, { strict: false });
      expect(result.stderr).toBe('');
      expect(result.stdout.split('\0').slice(0, NAMES.length)).toEqual([key, secret, token, iso, region, region, 'dev', '4102444800']);
    }
    expect(existsSync(canary)).toBe(false);
  }, 120_000);
});

describe('what the writer refuses', () => {
  it('writes no file for a value holding NUL, and removes the one that was there', async () => {
    const { followFilePath } = await import('../src/store/layout.js');
    const record: FollowRecord = { expires: '4102444800', kind: 'session', sourceProfile: '', accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', credentialExpiration: 'x', region: '', profile: 'nul', identityArn: '' };
    writeFollowFile(record, cacheDir);
    expect(existsSync(followFilePath('nul', cacheDir))).toBe(true);
    writeFollowFile({ ...record, sessionToken: 'a\0b' }, cacheDir);
    expect(existsSync(followFilePath('nul', cacheDir))).toBe(false);
  });
});
