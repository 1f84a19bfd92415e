import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IntegratedShell, Shell } from '../shells/index.js';
import { cacheDirPath } from '../store/cache-dir.js';

/** Each script holds this exactly once, where the quoted path of the binary goes (the starship layout). */
export const BINARY_PLACEHOLDER = '::MFA_ENV_BIN::';
/** And this once, where the quoted cache dir goes (the follow files live there). */
export const CACHE_DIR_PLACEHOLDER = '::MFA_ENV_CACHE_DIR::';

/** Lines that open and close the part of a script that edits the user's prompt (`--no-prompt` drops it). */
const PROMPT_PART = /^# mfa-env:prompt:begin\b[^\n]*\n[\s\S]*?^# mfa-env:prompt:end\n/m;

/**
 * Paths relative to this module's own file (dist/integration/scripts.js, also inside the bundle,
 * which maps import.meta.url back to it): the checkout root is two levels up.
 */
export function scriptPath(shell: IntegratedShell): string {
  return fileURLToPath(new URL(`../../shell/${shell.integration.script}`, import.meta.url));
}

/** The installed command; the scripts call it by this path, so they work without PATH. */
export function binaryPath(): string {
  return fileURLToPath(new URL('../../bin/mfa-env.js', import.meta.url));
}

export interface RenderOptions {
  /** The shell whose quoting the binary path needs. */
  shell: Shell;
  binary: string;
  /** The cache dir the follow files are in (default: this environment's). */
  cacheDir?: string;
  /** Keep the part that adds the segment to the prompt (false: `--no-prompt`). */
  prompt: boolean;
}

/** A script with the binary filled in (quoted for its shell) and, for `--no-prompt`, no prompt part. */
export function renderScript(template: string, options: RenderOptions): string {
  if (!PROMPT_PART.test(template)) throw new Error('a shell script must mark its prompt part');
  const withBinary = fillOnce(template, BINARY_PLACEHOLDER, options.shell.quote(options.binary));
  const script = fillOnce(withBinary, CACHE_DIR_PLACEHOLDER, options.shell.quote(options.cacheDir ?? cacheDirPath()));
  return options.prompt ? script : script.replace(PROMPT_PART, '');
}

/** `template` with its one `placeholder` replaced by `value` (split/join: `$` in a value stays literal). */
function fillOnce(template: string, placeholder: string, value: string): string {
  const parts = template.split(placeholder);
  if (parts.length !== 2) throw new Error(`a shell script must hold ${placeholder} exactly once`);
  return parts.join(value);
}

export function readScript(shell: IntegratedShell): string {
  return readFileSync(scriptPath(shell), 'utf8');
}
