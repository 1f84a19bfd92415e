import { spawn } from 'node:child_process';
import { MfaEnvError } from '../errors.js';

/** A browser that is still running after this long has taken the URL; it is left running. */
const EXIT_WAIT_MS = 3_000;

/** Variables the browser must not inherit: a long-lived browser has no use for the shell's session. */
const NOT_FOR_THE_BROWSER = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'MFA_ENV_LOGIN_CHAIN'];

/**
 * The commands to try, in order: each entry of $BROWSER (a colon-separated list, as
 * sensible-browser and xdg-open read it; `%s` marks where the URL goes, else it is the last
 * word), else `open` on macOS and `xdg-open` elsewhere.
 */
async function browserCommands(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string[][]> {
  const entries = (env.BROWSER ?? '').split(':').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return [[platform === 'darwin' ? 'open' : 'xdg-open', url]];
  const { parseCommandString } = await import('execa');
  return entries.map((entry) => {
    const words = parseCommandString(entry);
    return words.some((word) => word.includes('%s')) ? words.map((word) => word.replaceAll('%s', url)) : [...words, url];
  });
}

/**
 * Opens `url` in the browser and returns the program that took it. Each program is run directly
 * (no shell), with the URL as its only argument besides the words of $BROWSER: no secret key
 * or session token is on any command line, only the one-time sign-in token inside the URL.
 */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv, platform = process.platform): Promise<string> {
  const childEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !NOT_FOR_THE_BROWSER.includes(name)));
  const missing: string[] = [];
  for (const [file, ...args] of await browserCommands(url, env, platform)) {
    const outcome = await runBrowser(file!, args, childEnv);
    if (outcome === 'opened') return file!;
    if (outcome === 'missing') {
      missing.push(file!);
      continue;
    }
    throw new MfaEnvError(`${file} could not open the sign-in URL (${outcome})`, 'Run `mfa-env console --print` and open the URL yourself.');
  }
  const what = env.BROWSER ? `$BROWSER (${missing.join(', ')})` : missing.join(', ');
  throw new MfaEnvError(`no browser to open the AWS console with: ${what} not found`, 'Set BROWSER to your browser (e.g. BROWSER=firefox), or run `mfa-env console --print` and open the URL yourself.');
}

/** `opened`, `missing` (not installed), or why it failed. Its output is dropped: stderr holds only mfa-env's words. */
function runBrowser(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: 'ignore', detached: true, shell: false });
    const timer = setTimeout(() => {
      child.removeAllListeners('exit');
      child.unref();
      resolve('opened');
    }, EXIT_WAIT_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ENOENT' ? 'missing' : (error.code ?? error.message));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'opened' : code !== null ? `it exited with ${code}` : `killed by ${signal}`);
    });
  });
}
