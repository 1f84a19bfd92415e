import { MfaEnvError } from '../../errors.js';
import { isValidCode } from '../validate.js';
import { askWithDialog } from './dialogs.js';
import type { PromptProgram } from './names.js';
import { askPinentry } from './pinentry.js';
import { promptText } from './text.js';

export { PROMPT_PROGRAMS, promptProgramFor, type PromptProgram } from './names.js';

export interface PromptProgramRequest {
  program: PromptProgram;
  profile: string;
  serial: string;
  /** The environment the program runs with (PATH, DISPLAY, GPG_TTY, MFA_ENV_PINENTRY…). */
  env: NodeJS.ProcessEnv;
  /** Shown above the question: why it is asked again (e.g. the code was already used). */
  notice?: string;
}

const ATTEMPTS = 3;

/**
 * Asks for the MFA code with a prompt program (when there is no terminal) and resolves with a
 * code that matches ^\d{6}$; anything else is asked for again, at most three times. The
 * program runs without a shell and with no secret in its argv; the prompt names the device
 * and the profile. The caller claims the code (the spent-code guard) before sending it.
 */
export async function askWithPromptProgram(request: PromptProgramRequest): Promise<string> {
  let notice = request.notice;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const text = promptText(request.serial, request.profile, notice);
    const answer = request.program === 'pinentry' ? await askPinentry(text, request.env) : await askWithDialog(request.program, text, request.env);
    const code = answer.trim();
    if (isValidCode(code)) return code;
    notice = 'That is not a 6-digit code. Type the 6 digits your authenticator shows.';
  }
  throw new MfaEnvError(`no valid MFA code after ${ATTEMPTS} tries (${request.program})`, 'Run the command again and type the 6 digits your authenticator shows.');
}
