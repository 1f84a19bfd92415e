/**
 * The one-stat check of the bash and zsh prompt hooks (sessions that follow you, #11): the
 * stamp each follow file carries, a render that finds nothing changed (one stat in the cache
 * dir, nothing opened or read), every change the next render must still see, and the clock:
 * under a fast fake clock each render shows the minute the clock says, with one look a minute.
 */
import { execa } from 'execa';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatFollowRecord, removeFollowFile, writeFollowFile, type FollowRecord } from '../src/store/follow-file.js';
import { ROOT } from './helpers/sandbox.js';
import { nowSeconds, scratchDir } from './helpers/shell-integration.js';

const HOOK_SHELLS = ['bash', 'zsh'] as const;
type HookShell = (typeof HOOK_SHELLS)[number];
const ARGS: Record<HookShell, string[]> = { bash: ['--noprofile', '--norc'], zsh: ['-f'] };
/** One render: the hook, as the shell runs it before a prompt. */
const RENDER: Record<HookShell, string> = { bash: 'eval "$PROMPT_COMMAND"', zsh: 'local f; for f in "${precmd_functions[@]}"; do $f; done' };

const scratch = scratchDir('mfa-env-follow-stamps-');
const home = join(scratch.dir, 'home');
const cacheDir = join(home, 'cache', 'mfa-env');
const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: join(home, 'cache'), LANG: 'C.UTF-8', TERM: 'dumb' };
const inits: Partial<Record<HookShell, string>> = {};

afterAll(() => scratch.cleanup());
beforeEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
});

function record(expires: number, overrides: Partial<FollowRecord> = {}): FollowRecord {
  return { expires: String(expires), kind: 'session', sourceProfile: '', accessKeyId: `ASIA${expires}`, secretAccessKey: 's'.repeat(40), sessionToken: 't'.repeat(300), credentialExpiration: new Date(expires * 1000).toISOString(), region: 'eu-west-1', profile: 'dev', identityArn: '', ...overrides };
}

const cacheNames = () => readdirSync(cacheDir).sort();

describe('the stamp of a follow file', () => {
  it('is an empty 0600 file named after the expiry; a new session replaces it, other profiles keep theirs', () => {
    writeFollowFile(record(1900000000, { profile: 'dev.v1' }), cacheDir);
    writeFileSync(join(cacheDir, 'follow-dev.v1@later'), 'not a stamp: not digits');
    writeFollowFile(record(1900000000), cacheDir);
    const stamp = join(cacheDir, 'follow-dev.v1@1900000000');
    expect(readFileSync(stamp, 'utf8')).toBe('');
    expect(statSync(stamp).mode & 0o777).toBe(0o600);
    writeFollowFile(record(1900003600), cacheDir);
    expect(cacheNames()).toEqual(['follow-dev.v1', 'follow-dev.v1.v1', 'follow-dev.v1.v1@1900000000', 'follow-dev.v1@1900003600', 'follow-dev.v1@later']);
  });

  it('goes with its follow file: removed, or a session that cannot be written (a NUL)', () => {
    writeFollowFile(record(1900000000), cacheDir);
    removeFollowFile('dev', cacheDir);
    expect(cacheNames()).toEqual([]);
    writeFollowFile(record(1900000000), cacheDir);
    writeFollowFile(record(1900003600, { sessionToken: 'a\0b' }), cacheDir);
    expect(cacheNames()).toEqual([]);
  });

  it('a link planted at its name is replaced, never followed', () => {
    const target = join(scratch.dir, 'target');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(cacheDir, 'follow-dev.v1@1900000000'));
    writeFollowFile(record(1900000000), cacheDir);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(lstatSync(join(cacheDir, 'follow-dev.v1@1900000000')).isFile()).toBe(true);
  });
});

async function init(shell: HookShell): Promise<string> {
  if (!inits[shell]) {
    const result = await execa(process.execPath, [join(ROOT, 'bin', 'mfa-env.js'), 'init', shell], { env, extendEnv: false });
    inits[shell] = scratch.write(`init.${shell}`, `${result.stdout}\n`);
  }
  return inits[shell]!;
}

/** A shell that sources the integration with a session of `dev` ending at `expires`, then runs `body`. */
async function runDriver(shell: HookShell, expires: number, body: string, options: { wrap?: string[]; extraEnv?: Record<string, string>; before?: string } = {}) {
  const file = scratch.write(`driver-${Math.random().toString(36).slice(2)}.${shell}`, [options.before ?? '', `source '${await init(shell)}'`, `export MFA_ENV_PROFILE=dev MFA_ENV_EXPIRES=${expires}`, `render() { ${RENDER[shell]}; }`, body, ''].join('\n'));
  const command = [...(options.wrap ?? []), shell, ...ARGS[shell], file];
  const result = await execa(command[0]!, command.slice(1), { env: { ...env, ...options.extraEnv }, extendEnv: false, reject: false, timeout: 120_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return result;
}

/** Lines of an strace log of `renders` renders after two first ones that name the cache dir. */
async function cacheDirCalls(shell: HookShell, renders: number): Promise<string[]> {
  const log = join(scratch.dir, `strace-${shell}-${renders}.log`);
  // Half a minute from the segment's next change: no look falls inside the renders.
  await runDriver(shell, nowSeconds() + 7200 + 30, `render; render\ni=0\nwhile [[ $i -lt ${renders} ]]; do render; i=$((i + 1)); done`, { wrap: ['strace', '-f', '-qq', '-o', log] });
  return readFileSync(log, 'utf8').split('\n').filter((line) => line.includes(cacheDir));
}

/** Writes the follow file byte for byte as an mfa-env without stamps did. */
function writeWithoutStamp(expires: number) {
  writeFileSync(join(cacheDir, 'follow-dev.v1'), formatFollowRecord(record(expires))!, { mode: 0o600 });
}

/** The follow file of `expires`, written with its stamp, from inside a driver (`node writer …`). */
const writer = scratch.write(
  'writer.mjs',
  `const { writeFollowFile } = await import(${JSON.stringify(join(ROOT, 'dist', 'store', 'follow-file.js'))});\nconst [dir, profile, expires] = process.argv.slice(2);\nwriteFollowFile({ expires, kind: 'session', sourceProfile: '', accessKeyId: 'ASIA' + expires, secretAccessKey: 's', sessionToken: 't', credentialExpiration: '', region: '', profile, identityArn: '' }, dir);\n`,
);
const write = (profile: string, expires: number) => `'${process.execPath}' '${writer}' '${cacheDir}' ${profile} ${expires}`;
const SHOW = 'printf "exp=%s key=%s seg=%s\\n" "$MFA_ENV_EXPIRES" "${AWS_ACCESS_KEY_ID-}" "$mfa_env_segment"';

describe.each(HOOK_SHELLS)('%s: the hook', (shell) => {
  it('a render that finds nothing changed makes one stat in the cache dir and opens nothing there', async () => {
    writeFollowFile(record(nowSeconds() + 7200), cacheDir);
    const none = await cacheDirCalls(shell, 0);
    const many = await cacheDirCalls(shell, 100);
    const added = many.slice(none.length);
    expect(added).toHaveLength(100);
    for (const line of added) expect(line).toMatch(/\b(newfstatat|stat|statx|access|faccessat2?)\((AT_FDCWD, )?".*follow-dev\.v1@\d+"/);
  });

  it('with no follow file yet: one stat, and the file is taken over at the render after it appears', async () => {
    const expires = nowSeconds() + 7200 + 30;
    expect((await cacheDirCalls(shell, 50)).length - (await cacheDirCalls(shell, 0)).length).toBe(50);
    const result = await runDriver(shell, expires, `render; render\n${write('dev', expires + 60)}\nrender\n${SHOW}`);
    expect(result.stdout).toBe(`exp=${expires + 60} key=ASIA${expires + 60} seg=dev 2h01m`);
  });

  const changes: Array<[string, (expires: number) => string, (expires: number) => string]> = [
    ['a newer session, written with its stamp, is taken over', (e) => write('dev', e + 120), (e) => `exp=${e + 120} key=ASIA${e + 120} seg=dev 2h02m`],
    ['with MFA_ENV_FOLLOW=off a newer session stays where it is', (e) => `MFA_ENV_FOLLOW=off\n${write('dev', e + 120)}`, (e) => `exp=${e} key= seg=dev 2h00m`],
    ['MFA_ENV_EXPIRES set by hand shows at once', (e) => `MFA_ENV_EXPIRES=${e + 3600}`, () => 'seg=dev 3h00m'],
    ['NO_COLOR set takes the colour off a low segment', (e) => `MFA_ENV_FOLLOW=off MFA_ENV_EXPIRES=${e - 7200 + 600}\nrender\n[[ $mfa_env_segment == *$'\\e'* ]] || exit 3\nNO_COLOR=1`, () => 'seg=dev 10m'],
    ['another profile, with its own newer session, is taken over', (e) => `${write('ops', e + 240)}\nMFA_ENV_PROFILE=ops`, (e) => `exp=${e + 240} key=ASIA${e + 240} seg=ops 2h04m`],
  ];
  it.each(changes)('%s at the next render', async (_name, change, expected) => {
    const expires = nowSeconds() + 7200 + 30;
    writeFollowFile(record(expires), cacheDir);
    const result = await runDriver(shell, expires, `unset AWS_ACCESS_KEY_ID\nrender; render\n${change(expires)}\nrender\n${SHOW}`);
    expect(result.stdout.trim()).toContain(expected(expires));
  });

  it('a follow file without a stamp (an older mfa-env wrote it) is read at every render, and a newer one taken over', async () => {
    const expires = nowSeconds() + 7200 + 30;
    writeWithoutStamp(expires);
    const calls = (await cacheDirCalls(shell, 20)).length - (await cacheDirCalls(shell, 0)).length;
    expect(calls).toBeGreaterThanOrEqual(40);
    const newer = `'${process.execPath}' -e 'require("fs").writeFileSync(process.argv[1], process.argv[2].replace(/#/g, "\\0"))' '${join(cacheDir, 'follow-dev.v1')}' '${formatFollowRecord(record(expires + 180))!.replace(/\0/g, '#')}'`;
    const result = await runDriver(shell, expires, `unset AWS_ACCESS_KEY_ID\nrender; render\n${newer}\nrender\n${SHOW}`);
    expect(result.stdout).toBe(`exp=${expires + 180} key=ASIA${expires + 180} seg=dev 2h03m`);
    expect(cacheNames()).toEqual(['follow-dev.v1']);
  });

  it('under a fake clock 300 times as fast: every render shows the minute the clock says, one look a minute, one warning', async () => {
    const copy = shell === 'bash' ? 'eval "$(declare -f __mfa_env_look | sed 1s/__mfa_env_look/__mfa_env_look_as_built/)"' : 'functions -c __mfa_env_look __mfa_env_look_as_built';
    // The session and its follow file are made on the fake clock, just before the renders: a
    // slow start must not eat its first minute (30 s of it pass in 100 ms). The fields as
    // formatFollowRecord writes them (src/store/follow-file.ts), and the stamp.
    const body = `${copy}
looks=0 renders=0 wrong=0 seen=''
__mfa_env_look() { looks=$((looks + 1)); __mfa_env_look_as_built; }
expires=$((EPOCHSECONDS + 5 * 60 + 30))
printf '%s\\0' "$expires" session '' ASIAFAKE secret token '' '' dev '' >'${cacheDir}/follow-dev.v1'
: >'${cacheDir}/follow-dev.v1'@$expires
MFA_ENV_EXPIRES=$expires
while [[ $EPOCHSECONDS -le $((expires + 90)) ]]; do
    before=$EPOCHSECONDS
    render
    after=$EPOCHSECONDS renders=$((renders + 1))
    [[ $before == "$after" ]] || continue
    left=$((expires - before))
    if [[ $left -gt 0 ]]; then want="dev $((left / 60))m"; else want='dev expired'; fi
    [[ $mfa_env_segment_text == "$want" ]] || wrong=$((wrong + 1))
    case " $seen " in *" $want "*) ;; *) seen="$seen $want" ;; esac
done
echo "renders=$renders looks=$looks wrong=$wrong seen=$seen"`;
    const result = await runDriver(shell, 0, body, { wrap: ['faketime', '-f', '+0 x300'] });
    const [, renders, looks, wrong, seen] = /^renders=(\d+) looks=(\d+) wrong=(\d+) seen= (.*)$/m.exec(result.stdout)!;
    expect({ wrong: Number(wrong), seen }).toEqual({ wrong: 0, seen: 'dev 5m dev 4m dev 3m dev 2m dev 1m dev 0m dev expired' });
    // A look each minute, at the end, and a few for the clock's own second; many renders with none.
    expect(Number(looks)).toBeGreaterThanOrEqual(7);
    expect(Number(looks)).toBeLessThanOrEqual(12);
    expect(Number(renders)).toBeGreaterThan(20 * Number(looks));
    expect(result.stderr.match(/ends in \dm and cannot be renewed without a code/g)).toHaveLength(1);
  });

  it('loads and renders the same under the options a user may set, and takes a session over', async () => {
    const expires = nowSeconds() + 7200 + 30;
    writeFollowFile(record(expires + 60), cacheDir);
    const before = shell === 'zsh'
      ? 'setopt ksh_arrays sh_word_split no_unset warn_create_global extended_glob glob_subst ksh_glob sh_glob rc_expand_param no_equals octal_zeroes c_bases force_float posix_builtins ksh_typeset bad_pattern err_return'
      : 'set -u -o pipefail; shopt -s extglob nullglob failglob dotglob globstar nocaseglob lastpipe';
    const result = await runDriver(shell, expires, `render; render\n${SHOW}\nMFA_ENV_EXPIRES=${expires + 3600 * 3}\nrender\n${SHOW}`, { before });
    expect(result.stdout).toBe(`exp=${expires + 60} key=ASIA${expires + 60} seg=dev 2h01m\nexp=${expires + 3600 * 3} key=ASIA${expires + 60} seg=dev 5h00m`);
    expect(result.stderr).toBe('');
  });
});
