#!/usr/bin/env node
/**
 * What the prompt segment costs per render, in each shell, next to running `mfa-env prompt`.
 *
 * A render is what mfa-env adds before each prompt: bash runs the PROMPT_COMMAND hook and
 * expands its part of PS1 (`${PS1@P}`); zsh runs the precmd hook and expands its part of
 * PROMPT (`${(%)${(e)PROMPT}}`, as prompt_subst does); fish runs fish_right_prompt. Each shell
 * loops N renders; time and process creations are measured for N and for 0 renders, and the
 * difference divided by N, so shell start-up cancels out. Processes are counted with
 * `strace -f -e trace=clone,clone3,fork,vfork` (a thread is not a process and is counted apart).
 *
 *   node test/bench/prompt.mjs [--iterations N]      (after `npm run build`)
 *
 * `benchPrompt({ iterations })` returns the rows, for test/bench/run.mjs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The shells with an integration, from the shell records of the build (src/shells).
const { integratedShells } = await import(pathToFileURL(join(ROOT, 'dist', 'shells', 'index.js')).href);
const SHELLS = integratedShells().map((shell) => shell.name);
const CLI = join(ROOT, 'bin', 'mfa-env.js');
/** Fewer renders than this drown in the noise of starting the shell. */
const MIN_RENDERS = 1000;
const REPEATS = 3;

/** A driver script per shell: load the integration, set a session, render `$1`/`$argv[1]` times. */
const DRIVERS = {
  bash: (init) => `PS1=''
source '${init}'
export MFA_ENV_PROFILE=dev MFA_ENV_EXPIRES=$BENCH_EXPIRES
n=$1 i=0
while ((i < n)); do
    eval "$PROMPT_COMMAND"
    out=\${PS1@P}
    i=$((i + 1))
done
[[ $n == 0 || $out == *'dev '[0-9]*m* ]] || { echo "bad render: $out" >&2; exit 1; }
`,
  zsh: (init) => `PROMPT=''
source '${init}'
export MFA_ENV_PROFILE=dev MFA_ENV_EXPIRES=$BENCH_EXPIRES
integer n=$1 i=0
local out f
while (( i < n )); do
    for f in $precmd_functions; do $f; done
    out=\${(%)\${(e)PROMPT}}
    (( i += 1 ))
done
[[ $n == 0 || $out == *'dev '[0-9]*m* ]] || { print -u2 "bad render: $out"; exit 1 }
`,
  fish: (init) => `source '${init}'
set -gx MFA_ENV_PROFILE dev
set -gx MFA_ENV_EXPIRES $BENCH_EXPIRES
set -l n $argv[1]
set -l i 0
set -l out
while test $i -lt $n
    set out (fish_right_prompt)
    set i (math $i + 1)
end
if test $n -ne 0; and not string match -q '*dev *m*' -- "$out"
    echo "bad render: $out" >&2
    exit 1
end
`,
};

/**
 * Sessions that follow you: a render that takes a newer session over (MFA_ENV_EXPIRES is set
 * back before each one), and `mfa-env login` taken up from the follow file by the wrapper.
 */
const TAKEOVER_DRIVERS = {
  bash: (init) => DRIVERS.bash(init).replace('    eval "$PROMPT_COMMAND"', '    MFA_ENV_EXPIRES=1\n    eval "$PROMPT_COMMAND"'),
  zsh: (init) => DRIVERS.zsh(init).replace('    for f in', '    MFA_ENV_EXPIRES=1\n    for f in'),
};
const LOGIN_DRIVERS = {
  bash: (init) => `source '${init}'\nn=$1 i=0\nwhile ((i < n)); do\n    mfa-env login --profile dev 2>/dev/null || exit 1\n    i=$((i + 1))\ndone\n`,
  zsh: (init) => `source '${init}'\ninteger n=$1 i=0\nwhile (( i < n )); do\n    mfa-env login --profile dev 2>/dev/null || exit 1\n    (( i += 1 ))\ndone\n`,
};

const SHELL_ARGS = { bash: ['--noprofile', '--norc'], zsh: ['-f'], fish: ['--no-config'] };

/** `mfa-env prompt` as a prompt framework runs it: one process per render, from a shell loop. */
function cliDriver() {
  return `export MFA_ENV_PROFILE=dev MFA_ENV_EXPIRES=$((EPOCHSECONDS + 3059))
n=$1 i=0
while ((i < n)); do
    out=$('${CLI}' prompt)
    i=$((i + 1))
done
[[ $n == 0 || $out == *'dev '[0-9]*m* ]] || { echo "bad render: $out" >&2; exit 1; }
`;
}

function cleanEnv(home, expires) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, 'cache'), BENCH_EXPIRES: String(expires), LANG: 'C.UTF-8', TERM: 'dumb' };
}

/** A follow file for profile dev, as a login leaves it: every render of the drivers checks it. */
async function writeBenchFollowFile(home, expires) {
  const { writeFollowFile } = await import(pathToFileURL(join(ROOT, 'dist', 'store', 'follow-file.js')).href);
  const dir = join(home, 'cache', 'mfa-env');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record = { expires: String(expires), kind: 'session', sourceProfile: '', accessKeyId: 'ASIABENCH', secretAccessKey: 's'.repeat(40), sessionToken: 't'.repeat(700), credentialExpiration: new Date(expires * 1000).toISOString(), region: 'eu-west-1', profile: 'dev', identityArn: '' };
  writeFollowFile(record, dir);
}

/** Milliseconds for one run (the best of REPEATS: the least disturbed by other load). */
function bestTime(command, args, env) {
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}: ${String(result.stderr).slice(0, 500)}`);
    best = Math.min(best, ms);
  }
  return best;
}

/** Processes and threads created by one run, from strace; undefined without a working strace. */
function creations(command, args, env, scratch) {
  const log = join(scratch, `strace-${Math.random().toString(36).slice(2)}.log`);
  const result = spawnSync('strace', ['-f', '-qq', '-o', log, '-e', 'trace=clone,clone3,fork,vfork', command, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error || result.status !== 0) return undefined;
  let processes = 0;
  let threads = 0;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    // `PID clone(…flags…) = CHILD` or `PID clone3({flags=…}, …) <unfinished …>`; the resumed half has no flags.
    if (!/^\d+\s+(clone3?|v?fork)\(/.test(line)) continue;
    if (line.includes('CLONE_THREAD')) threads += 1;
    else processes += 1;
  }
  return { processes, threads };
}

function strace() {
  const result = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=clone', 'true'], { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** Cost per render of `command args… N` against `command args… 0`. */
function measure(command, args, renders, env, scratch, withStrace) {
  const base = bestTime(command, [...args, '0'], env);
  const full = bestTime(command, [...args, String(renders)], env);
  const row = { usPerRender: round(((full - base) / renders) * 1000), forksPerRender: null, threadsPerRender: null };
  if (withStrace) {
    const none = creations(command, [...args, '0'], env, scratch);
    const many = creations(command, [...args, String(renders)], env, scratch);
    if (none && many) {
      row.forksPerRender = round((many.processes - none.processes) / renders);
      row.threadsPerRender = round((many.threads - none.threads) / renders);
    }
  }
  return row;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

/** The integration for `env` (its cache dir, where the bench's follow file is). */
function initScript(shell, env) {
  const result = spawnSync(process.execPath, [CLI, 'init', shell], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`mfa-env init ${shell} failed (run npm run build first): ${result.stderr}`);
  return result.stdout;
}

/**
 * Rows `{ shell, usPerRender, forksPerRender, threadsPerRender, renders }`: one per shell, and one
 * with shell `mfa-env prompt` for the command (a Node.js start per render; its runs are capped
 * at `cliRuns`). forksPerRender is null when strace cannot run here. Each shell does at least
 * `minRenders` renders (the tests lower it: they count processes, not microseconds).
 */
export async function benchPrompt({ iterations = 2000, cliRuns = 30, minRenders = MIN_RENDERS } = {}) {
  const renders = Math.max(iterations, minRenders);
  const scratch = mkdtempSync(join(tmpdir(), 'mfa-env-bench-prompt-'));
  const withStrace = strace();
  const expires = Math.floor(Date.now() / 1000) + 3059;
  const env = cleanEnv(scratch, expires);
  const rows = [];
  try {
    await writeBenchFollowFile(scratch, expires);
    for (const shell of SHELLS) {
      const init = join(scratch, `init.${shell}`);
      writeFileSync(init, initScript(shell, env));
      const driver = join(scratch, `driver.${shell}`);
      writeFileSync(driver, DRIVERS[shell](init));
      rows.push({ shell, renders, ...measure(shell, [...SHELL_ARGS[shell], driver], renders, env, scratch, withStrace) });
    }
    for (const [name, drivers, count] of [['takes a session over', TAKEOVER_DRIVERS, renders], ['login from the follow file', LOGIN_DRIVERS, renders]]) {
      for (const shell of Object.keys(drivers)) {
        const driver = join(scratch, `driver-${name.split(' ')[0]}.${shell}`);
        writeFileSync(driver, drivers[shell](join(scratch, `init.${shell}`)));
        rows.push({ shell: `${shell}: ${name}`, renders: count, ...measure(shell, [...SHELL_ARGS[shell], driver], count, env, scratch, withStrace) });
      }
    }
    const nodeDriver = join(scratch, 'driver-node.bash');
    writeFileSync(nodeDriver, `n=$1 i=0\nwhile ((i < n)); do\n    '${process.execPath}' -e 0\n    i=$((i + 1))\ndone\n`);
    const nodeRuns = Math.max(1, Math.min(iterations, cliRuns));
    rows.push({ shell: 'node -e 0', renders: nodeRuns, ...measure('bash', [...SHELL_ARGS.bash, nodeDriver], nodeRuns, env, scratch, withStrace) });
    const driver = join(scratch, 'driver-cli.bash');
    writeFileSync(driver, cliDriver());
    const runs = Math.max(1, Math.min(iterations, cliRuns));
    rows.push({ shell: 'mfa-env prompt', renders: runs, ...measure('bash', [...SHELL_ARGS.bash, driver], runs, env, scratch, withStrace) });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

/** A plain table for the terminal. */
export function formatPromptRows(rows) {
  const lines = ['prompt segment, per render              µs/render   processes   threads'];
  for (const row of rows) {
    const forks = row.forksPerRender === null ? 'n/a' : String(row.forksPerRender);
    const threads = row.threadsPerRender === null ? 'n/a' : String(row.threadsPerRender);
    lines.push(`${row.shell.padEnd(39)} ${String(row.usPerRender).padStart(9)}   ${forks.padStart(9)}   ${threads.padStart(7)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf('--iterations');
  const iterations = at > 0 ? Number(process.argv[at + 1]) : undefined;
  const rows = await benchPrompt(iterations ? { iterations } : {});
  console.log(formatPromptRows(rows));
}
