import { spawn, spawnSync } from 'node:child_process';

/**
 * A command to time: `args` may be a function of the run number, for runs that must differ
 * (a fresh MFA code each time); `check` looks at the output of the first run.
 */
function argsOf(command, run) {
  return typeof command.args === 'function' ? command.args(run) : (command.args ?? []);
}

/** Wall time of one run in milliseconds, stdin/stdout/stderr as pipes; throws when it fails. */
export function timeOnce(command, run = 0) {
  const args = argsOf(command, run);
  const start = process.hrtime.bigint();
  const result = spawnSync(command.command, args, { env: command.env, input: command.input ?? '', stdio: 'pipe', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command.name}: \`${command.command} ${args.join(' ')}\` exited ${result.status ?? result.signal}: ${result.stderr.slice(0, 800)}`);
  }
  command.check?.(result);
  return ms;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Times every case `iterations` times, each run followed by a run of the reference (case A,
 * reference, case B, reference, …, then again), so load that comes and goes on a shared
 * machine falls on cases and reference alike. Returns the medians and each case's median
 * over the reference's.
 */
export function compare(reference, cases, { iterations, warmup = 2, onProgress = () => {} }) {
  const samples = new Map(cases.map((c) => [c, []]));
  const referenceSamples = [];
  let run = 0;
  for (let i = 0; i < warmup; i++) {
    timeOnce(reference);
    for (const c of cases) timeOnce(c, run++);
  }
  for (let i = 0; i < iterations; i++) {
    for (const c of cases) {
      samples.get(c).push(timeOnce(c, run++));
      referenceSamples.push(timeOnce(reference));
    }
    onProgress(i + 1);
  }
  const referenceMs = median(referenceSamples);
  return {
    reference: { name: reference.name, ms: referenceMs, runs: referenceSamples.length },
    cases: cases.map((c) => ({ name: c.name, ms: median(samples.get(c)), ratio: median(samples.get(c)) / referenceMs, runs: samples.get(c).length, target: c.target })),
  };
}

/** Starts `count` copies of a command at once; resolves with the wall time until the last one exits, and their results. */
export async function timeParallel(command, count) {
  const start = process.hrtime.bigint();
  const results = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise((resolve, reject) => {
        const child = spawn(command.command, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (data) => (stdout += data));
        child.stderr.on('data', (data) => (stderr += data));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      }),
    ),
  );
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, results };
}
