/**
 * Issue 15, item 4: names from the AWS files reach our messages. A section named with ESC/BEL
 * sequences must not retitle or clear the user's terminal: everything mfa-env shows a person
 * (stderr, list, status, doctor) writes control characters visibly; JSON stays parseable.
 */
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { SHELL_TABLE } from '../helpers/shells.js';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, useStsSandbox } from '../helpers/hardening.js';

/** ESC c (reset), an OSC title with BEL, CSI 2J (clear), DEL, C1 CSI, a bidi override, CR. */
const HOSTILE = 'evil\x1bc\x1b]0;PWNED\x07\x7f\u009b2J\u202eok\rX';
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

const sts = useStsSandbox();
beforeEach(() => {
  sts.sandbox.writeCredentials(
    `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n[${HOSTILE}]\naws_access_key_id = AKIAOTHER\nregion = ${HOSTILE}\n`,
  );
});

describe('control characters from the AWS files', () => {
  it('the "Known profiles" list of an error shows them escaped, nothing raw on stderr, stdout empty, no STS call', async () => {
    const result = await sts.sandbox.run(['login', '--shell', 'bash', '--profile', 'nope']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Known profiles:');
    expect(result.stderr).not.toMatch(RAW_CONTROLS);
    expect(result.stderr).toContain('evil\\x1bc\\x1b]0;PWNED\\x07\\x7f\\x9b2J\\u202eok\\x0dX');
    expect(sts.fake.calls).toHaveLength(0);
  });

  it('list shows them escaped; list --json keeps the exact name for a parser', async () => {
    const human = await sts.sandbox.run(['list']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain('evil\\x1bc');
    expect(human.stdout + human.stderr).not.toMatch(RAW_CONTROLS);
    const json = await sts.sandbox.run(['list', '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(RAW_CONTROLS);
    const names = (JSON.parse(json.stdout) as Array<{ profile?: string; name?: string }>).map((entry) => entry.profile ?? entry.name);
    expect(names).toContain(HOSTILE);
  });

  it('doctor --profile with the name shows it escaped', async () => {
    const result = await sts.sandbox.run(['doctor', '--profile', 'nope']);
    expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROLS);
  });

  it('the shell code on stdout is left as it is (quoted for its shell, not escaped for a terminal)', async () => {
    sts.sandbox.writeConfig('[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n');
    const result = await sts.sandbox.run(['login', '--shell', 'bash', '--token-code', '123456']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("export AWS_REGION='us-east-1'");
  });
});

describe('control characters in the session\'s profile name', () => {
  it('mfa-env prompt shows MFA_ENV_PROFILE escaped, its own colour codes kept', async () => {
    const env = { MFA_ENV_PROFILE: HOSTILE, MFA_ENV_EXPIRES: String(Math.floor(Date.now() / 1000) + 10 * 60 + 30) };
    const plain = await sts.sandbox.run(['prompt'], { env: { ...env, NO_COLOR: '1' } });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.stdout).toBe('evil\\x1bc\\x1b]0;PWNED\\x07\\x7f\\x9b2J\\u202eok\\x0dX 10m');
    const painted = await sts.sandbox.run(['prompt'], { env });
    // Yellow under 15 minutes: the only ESC left is mfa-env's own SGR pair around the text.
    expect(painted.stdout).toBe(`\x1b[33m${plain.stdout}\x1b[0m`);
    expect(sts.fake.calls).toHaveLength(0);
  });
});

describe('the segment the shell integrations compute themselves', () => {
  // C0 controls and DEL: what every locale calls a control character (C1 and bidi depend on it).
  const NAME = 'evil\x1bc\x1b]0;PWNED\x07\x7fok\rX';
  const SEGMENT: Record<'bash' | 'zsh' | 'fish', string> = {
    bash: `eval "$('${process.execPath}' '${CLI}' init bash)"; mfa_env_prompt_update; printf '%s' "$mfa_env_segment"`,
    zsh: `eval "$('${process.execPath}' '${CLI}' init zsh)"; mfa_env_prompt_update; printf '%s' "$mfa_env_segment"`,
    fish: `'${process.execPath}' '${CLI}' init fish | source; mfa_env_prompt`,
  };
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: a profile name's control characters are shown as ?, the segment's own colour codes kept`, async () => {
      const env = { ...sts.sandbox.env, MFA_ENV_PROFILE: NAME, MFA_ENV_EXPIRES: String(Math.floor(Date.now() / 1000) + 600), MFA_ENV_FOLLOW: 'off' };
      const result = await execa(shell, [...SHELL_TABLE[shell].plain, '-c', SEGMENT[shell]], { env, extendEnv: false, reject: false });
      expect(result.stderr).toBe('');
      // Yellow (under 15 minutes): the only ESC bytes are the segment's own SGR codes.
      const text = result.stdout.replace(/\x01|\x02|%\{|%\}/g, '').replace(/\x1b\[(?:33|0)m/g, '');
      expect(text).toMatch(/^evil\?c\?\]0;PWNED\?\?ok\?X (?:9|10)m$/);
    });
  }
});
