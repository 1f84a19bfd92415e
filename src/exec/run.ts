/** `mfa-env exec` once the session is there: the command run with it, and the exit code shells would give. */
import type { Session } from '../session/session.js';
import type { ChildStreams } from './child.js';

/** Runs `command` with the session's static keys in its environment; resolves with the exit code to pass back. */
export async function runWithSession(command: string[], session: Session, parentEnv: NodeJS.ProcessEnv, streams: ChildStreams, say: (message: string) => void): Promise<number> {
  // Loaded only here: a login from the cache never needs child_process.
  const { childEnvironment } = await import('./child.js');
  return runWithEnvironment(command, childEnvironment(parentEnv, session), streams, say);
}

/** Runs `command` with exactly `env` (exec --server builds its own: the endpoint, no static keys). */
export async function runWithEnvironment(command: string[], env: NodeJS.ProcessEnv, streams: ChildStreams, say: (message: string) => void): Promise<number> {
  const { runChild } = await import('./child.js');
  const outcome = await runChild(command, env, streams);
  if (outcome.kind === 'exited') return outcome.exitCode;
  // The exit codes shells use for a command that is missing (127) or cannot be run (126).
  if (outcome.code === 'ENOENT') {
    say(`command not found: ${command[0]}`);
    return 127;
  }
  say(`cannot run ${command[0]} (${outcome.code})`);
  return 126;
}
