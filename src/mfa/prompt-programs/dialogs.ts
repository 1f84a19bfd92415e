import { MfaEnvError } from '../../errors.js';
import { PROMPT_TIMEOUT_MS, finished, firstLine, startPromptProgram } from './child.js';
import { cancelled, type PromptText } from './text.js';

export type DialogProgram = 'zenity' | 'kdialog' | 'osascript';

/** The text shown in the dialog: why it asks again (if it does), then device and profile. */
function dialogMessage(text: PromptText): string {
  return text.notice ? `${text.notice}\n\n${text.description}` : text.description;
}

/** zenity's --text is Pango markup: `&`, `<` and `>` in a profile name must show as themselves. */
function pangoEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The argv of each dialog (a table, one entry per program). The text is an argument of its
 * own, never code: osascript's script is fixed and receives the message through `argv` of its
 * run handler, so no profile name can change what AppleScript runs. No secret is in any argv.
 */
const DIALOG_ARGV: Record<DialogProgram, (text: PromptText) => string[]> = {
  zenity: (text) => [
    'zenity',
    '--entry',
    `--title=${text.title}`,
    `--text=${pangoEscape(dialogMessage(text))}`,
    '--entry-text=',
    `--timeout=${PROMPT_TIMEOUT_MS / 1000}`,
  ],
  kdialog: (text) => ['kdialog', '--title', text.title, '--inputbox', dialogMessage(text), ''],
  osascript: (text) => [
    'osascript',
    '-e', 'on run argv',
    '-e', 'display dialog (item 1 of argv) default answer "" with title (item 2 of argv)',
    '-e', 'return text returned of result',
    '-e', 'end run',
    dialogMessage(text),
    text.title,
  ],
};

export function dialogArgv(program: DialogProgram, text: PromptText): string[] {
  return DIALOG_ARGV[program](text);
}

/** Shows the dialog and resolves with what was typed (stdout, trimmed). Cancel is an error that says so. */
export async function askWithDialog(program: DialogProgram, text: PromptText, env: NodeJS.ProcessEnv): Promise<string> {
  const child = await startPromptProgram(dialogArgv(program, text), env, `mfa_prompt = ${program}`, false);
  const result = await finished(child);
  if (result.exitCode === 0) return result.stdout.trim();
  // zenity and kdialog exit 1 on Cancel; osascript too, saying "User canceled. (-128)".
  const userCancelled = result.exitCode === 1 && (program !== 'osascript' || result.stderr.includes('-128'));
  if (userCancelled) throw cancelled(program);
  if (program === 'zenity' && result.exitCode === 5) throw new MfaEnvError(`no MFA code was typed into zenity in ${PROMPT_TIMEOUT_MS / 1000}s`);
  const how = result.exitCode !== null ? `exited with ${result.exitCode}` : `was killed (${result.signal})`;
  const why = firstLine(result.stderr);
  throw new MfaEnvError(
    `${program}, the MFA code prompt, ${how}${why ? `: ${why}` : ''}`,
    program === 'osascript' ? 'osascript needs a macOS desktop session.' : 'It needs a graphical session: is DISPLAY (or WAYLAND_DISPLAY) set for the program that runs mfa-env?',
  );
}
