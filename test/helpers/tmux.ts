import { execa } from 'execa';
import { randomBytes } from 'node:crypto';

/**
 * A real pseudo-terminal: a shell inside a detached tmux session on a private server (its own
 * `-L` socket, killed afterwards). Keys are typed with send-keys, the screen is read with
 * capture-pane, so the shell runs exactly as it does for a user: interactive, line editing,
 * prompts, /dev/tty.
 */
export class TmuxShell {
  private constructor(
    readonly socket: string,
    private readonly target: string,
  ) {}

  /** Starts `argv` in a 200×50 terminal with exactly `env` (plus TERM), in `cwd` (default: HOME). */
  static async start(argv: string[], env: Record<string, string>, cwd = env.HOME ?? '/'): Promise<TmuxShell> {
    const socket = `mfa-env-test-${process.pid}-${randomBytes(4).toString('hex')}`;
    const shell = new TmuxShell(socket, 'main');
    // `env -i`: the pane gets our environment only, not the tmux server's.
    const command = ['env', '-i', ...Object.entries({ TERM: 'screen', ...env }).map(([k, v]) => `${k}=${v}`), ...argv];
    await execa('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', '-c', cwd, ...command], {
      env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/tmp' },
      extendEnv: false,
    });
    return shell;
  }

  private tmux(args: string[]) {
    return execa('tmux', ['-L', this.socket, ...args], { env: { PATH: process.env.PATH ?? '' }, extendEnv: false });
  }

  /** Types `text` literally, then Enter unless `enter` is false. */
  async type(text: string, { enter = true } = {}): Promise<void> {
    if (text) await this.tmux(['send-keys', '-t', this.target, '-l', '--', text]);
    if (enter) await this.tmux(['send-keys', '-t', this.target, 'Enter']);
  }

  /** Presses keys by tmux name: `Tab`, `C-c`, `Enter`. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.target, ...keys]);
  }

  /** The screen as text (with `escapes`: with the colour codes as the terminal got them). */
  async screen({ escapes = false } = {}): Promise<string> {
    const result = await this.tmux(['capture-pane', '-p', '-t', this.target, ...(escapes ? ['-e'] : [])]);
    // Without the empty rows below the cursor.
    return String(result.stdout).trimEnd();
  }

  /** Clears the screen and tmux's history, so the next wait sees only what follows. */
  async clear(): Promise<void> {
    await this.tmux(['send-keys', '-t', this.target, '-R']);
    await this.tmux(['clear-history', '-t', this.target]);
  }

  /** Waits until the screen matches `pattern`; returns the screen, or throws with it. */
  async waitFor(pattern: RegExp, { timeout = 30_000, escapes = false } = {}): Promise<string> {
    const deadline = Date.now() + timeout;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen({ escapes });
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
  }

  /** Ends the tmux server and waits for the shell to be gone (it writes its history on the way out). */
  async kill(): Promise<void> {
    const pane = await this.tmux(['display-message', '-p', '-t', this.target, '#{pane_pid}']).catch(() => undefined);
    const pid = Number(pane?.stdout);
    await execa('tmux', ['-L', this.socket, 'kill-server'], { reject: false, env: { PATH: process.env.PATH ?? '' }, extendEnv: false });
    const deadline = Date.now() + 10_000;
    while (pid > 0 && Date.now() < deadline && isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
