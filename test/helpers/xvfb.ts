import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';

/** A private X server (Xvfb) on a display no one else uses, for GUI programs under test. */
export interface Xvfb {
  display: string;
  stop(): Promise<void>;
}

/** The first display number from 90 on with neither a lock file nor a socket (another X server's). */
function freeDisplay(): number {
  for (let n = 90; n < 190; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
  throw new Error('no free X display between :90 and :189');
}

export async function startXvfb(): Promise<Xvfb> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const n = freeDisplay();
    // -nolisten tcp: the socket only; a lost race for the display makes Xvfb exit, and we try the next.
    const child: ResultPromise = execa('Xvfb', [`:${n}`, '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], { stdio: 'ignore', reject: false, env: { PATH: process.env.PATH ?? '' }, extendEnv: false });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !existsSync(`/tmp/.X11-unix/X${n}`)) await new Promise((resolve) => setTimeout(resolve, 50));
    if (child.exitCode === null && existsSync(`/tmp/.X11-unix/X${n}`)) {
      return {
        display: `:${n}`,
        async stop() {
          child.kill('SIGTERM');
          await child;
        },
      };
    }
    child.kill('SIGKILL');
    await child;
  }
  throw new Error('Xvfb did not start');
}

/** Runs xdotool against the display. */
export async function xdotool(display: string, args: string[], timeout = 30_000): Promise<string> {
  const result = await execa('xdotool', args, { env: { PATH: process.env.PATH ?? '', DISPLAY: display }, extendEnv: false, timeout });
  return String(result.stdout).trim();
}
