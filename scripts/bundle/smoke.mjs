/**
 * The build's last step: runs the installed command once per bundle (`<word> --help`, and
 * `--help` / `--version` for the whole CLI) in a scratch HOME. A bundle that cannot load, a
 * word its own bundle does not serve, or any stderr (a Node or SDK warning) fails the build.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The runs that prove every bundle works, for these command words. */
export function smokeRuns(words) {
  return [['--help'], ['--version'], ...[...words].sort().map((word) => [word, '--help'])];
}

/** Runs `bin` with each of `runs`; resolves with the failures (empty when every run passed). */
export async function smokeTest(bin, runs) {
  const home = mkdtempSync(join(tmpdir(), 'mfa-env-smoke-'));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache'), LANG: 'C.UTF-8', NO_COLOR: '1' };
  try {
    const results = await Promise.all(
      runs.map(async (args) => {
        try {
          const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 30_000 });
          if (stderr) return `mfa-env ${args.join(' ')} wrote to stderr: ${stderr.trim().split('\n')[0]}`;
          if (!stdout.trim()) return `mfa-env ${args.join(' ')} printed nothing`;
          return undefined;
        } catch (error) {
          return `mfa-env ${args.join(' ')} exited ${error.code ?? error.signal}: ${String(error.stderr || error.stdout || error.message).trim().split('\n')[0]}`;
        }
      }),
    );
    return results.filter(Boolean);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
