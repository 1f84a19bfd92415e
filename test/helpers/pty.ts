import { execa, type ResultPromise } from 'execa';

/**
 * A command run on a real pseudo-terminal (util-linux `script`), typed into like a user would:
 * wait for text on the screen, then type. The command's /dev/tty is the pty, so mfa-env's
 * prompt appears on `screen()`; redirect its stdout/stderr inside `command` to keep them apart.
 */
export interface PtySession {
  child: ResultPromise;
  screen(): string;
  type(text: string): void;
  /** Resolves once `screen()` holds `text` at least `times` times. */
  waitFor(text: string, times?: number, timeoutMs?: number): Promise<void>;
  /** Ends the typing (EOF on script's stdin) and waits for the command to finish. */
  finish(): Promise<{ exitCode: number; screen: string }>;
}

export function startInPty(command: string, env: Record<string, string>): PtySession {
  const child = execa('script', ['-qfec', command, '/dev/null'], { env, extendEnv: false, stdin: 'pipe', reject: false, timeout: 90_000 });
  let screen = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
  });
  const count = (text: string) => screen.split(text).length - 1;
  return {
    child,
    screen: () => screen,
    type: (text) => {
      child.stdin!.write(text);
    },
    async waitFor(text, times = 1, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (count(text) < times) {
        if (child.exitCode !== null) throw new Error(`the command ended before ${JSON.stringify(text)} appeared; screen:\n${screen}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async finish() {
      child.stdin!.end();
      const result = await child;
      return { exitCode: result.exitCode ?? -1, screen };
    },
  };
}
