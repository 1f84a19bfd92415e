import { MfaEnvError } from '../errors.js';
import { runMfaProcess } from './mfa-process.js';
import { askOnTerminal, tellTerminal, terminalAvailable } from './prompt.js';
import type { PromptProgram } from './prompt-programs/names.js';
import { claimCode, msUntilNextStep } from './reuse.js';
import { isValidCode } from './validate.js';

export interface CodeSources {
  profile: string;
  serial: string;
  /** `--token-code` (already format-checked, or read from stdin for `-`). */
  flagCode?: string;
  /** The profile's `mfa_process`: a command whose stdout is the code. */
  mfaProcess?: string;
  /** The profile's mfa_prompt or MFA_ENV_PROMPT: asks for the code when there is no terminal. */
  promptProgram?: PromptProgram;
  /** The environment a prompt program runs with. */
  env?: NodeJS.ProcessEnv;
  warn: (message: string) => void;
}

const PROMPT_ATTEMPTS = 3;

/**
 * The MFA code to send, from the first source that has one: the flag, mfa_process, the
 * terminal, or, when there is none, the prompt program (mfa_prompt). A code already sent to
 * this device while it could still be valid is never returned; the code is claimed (recorded
 * as spent, atomically with the check) before it is returned.
 */
export async function obtainCode(sources: CodeSources): Promise<string> {
  return sources.flagCode !== undefined
    ? codeFromFlag(sources)
    : sources.mfaProcess !== undefined
      ? codeFromProcess(sources, sources.mfaProcess)
      : sources.promptProgram !== undefined && !terminalAvailable()
        ? codeFromPromptProgram(sources, sources.promptProgram)
        : codeFromTerminal(sources);
}

function usedMessage(usedAt: number): string {
  const seconds = Math.ceil(msUntilNextStep() / 1000);
  return `that MFA code was already sent for this device at ${new Date(usedAt).toLocaleTimeString()}, and AWS refuses a code twice; the next code comes in about ${seconds}s`;
}

async function codeFromFlag(sources: CodeSources): Promise<string> {
  const code = sources.flagCode!;
  const usedAt = await claimCode(sources.serial, code);
  if (usedAt !== undefined) {
    throw new MfaEnvError(usedMessage(usedAt), 'Wait for the next code on your device and run the command again with it.');
  }
  return code;
}

async function codeFromProcess(sources: CodeSources, command: string): Promise<string> {
  const { parseCommandString } = await import('execa');
  const argv = parseCommandString(command);
  const [file, ...args] = argv;
  if (!file) throw new MfaEnvError(`mfa_process of profile "${sources.profile}" is empty`);
  for (let attempt = 0; attempt < 2; attempt++) {
    // No shell: the command line is split into words and run directly.
    const result = await runMfaProcess(file, args);
    if (result.failure) {
      throw new MfaEnvError(`mfa_process of profile "${sources.profile}" (${file}) ${result.failure}`, `Run it yourself to see why: ${command}`);
    }
    const code = result.output;
    if (!isValidCode(code)) {
      throw new MfaEnvError(
        `mfa_process of profile "${sources.profile}" printed something that is not a 6-digit code`,
        `It must print only the code, e.g. \`ykman oath accounts code --single NAME\`. Command: ${command}`,
      );
    }
    const usedAt = await claimCode(sources.serial, code);
    if (usedAt === undefined) return code;
    const wait = msUntilNextStep() + 1_000;
    sources.warn(`${usedMessage(usedAt)}; waiting ${Math.ceil(wait / 1000)}s for it`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new MfaEnvError(`mfa_process of profile "${sources.profile}" kept printing a code that was already used`, `Check the device's clock. Command: ${command}`);
}

async function codeFromPromptProgram(sources: CodeSources, program: PromptProgram): Promise<string> {
  const { askWithPromptProgram } = await import('./prompt-programs/index.js');
  let notice: string | undefined;
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const code = await askWithPromptProgram({ program, profile: sources.profile, serial: sources.serial, env: sources.env ?? process.env, notice });
    const usedAt = await claimCode(sources.serial, code);
    if (usedAt === undefined) return code;
    notice = `${usedMessage(usedAt)}. Wait for it, then type it.`;
  }
  throw new MfaEnvError(`no valid MFA code after ${PROMPT_ATTEMPTS} tries (${program})`, 'Run the command again and type the 6 digits your authenticator shows.');
}

async function codeFromTerminal(sources: CodeSources): Promise<string> {
  const hint =
    `Pass the code with --token-code (or --token-code - to read it from stdin), set mfa_process (a command that prints the code) or ` +
    `mfa_prompt = pinentry|zenity|kdialog|osascript (a program that asks for it) in the profile, ` +
    `or run \`mfa-env login --profile ${sources.profile}\` in a terminal first.`;
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const code = await askOnTerminal(`MFA code for ${sources.serial} (profile ${sources.profile}): `, hint);
    if (!isValidCode(code)) {
      tellTerminal('That is not a 6-digit code. ');
      continue;
    }
    const usedAt = await claimCode(sources.serial, code);
    if (usedAt !== undefined) {
      tellTerminal(`${usedMessage(usedAt)}.\nWait for it, then type it. `);
      continue;
    }
    return code;
  }
  throw new MfaEnvError(`no valid MFA code after ${PROMPT_ATTEMPTS} tries`, 'Run the command again and type the 6 digits your authenticator shows.');
}
