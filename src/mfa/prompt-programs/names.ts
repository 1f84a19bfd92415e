import { UsageError } from '../../errors.js';

/**
 * The programs that can ask for the MFA code when there is no terminal (an IDE or a GUI runs
 * `credential-process`). This file is only the names: the login plan checks the setting
 * before any network call without loading the code that runs them (./index.ts).
 */
export const PROMPT_PROGRAMS = ['pinentry', 'zenity', 'kdialog', 'osascript'] as const;

/** A program that asks for the code; `terminal` (the default) is none of them. */
export type PromptProgram = (typeof PROMPT_PROGRAMS)[number];

const TERMINAL = 'terminal';

/**
 * The program named by the profile's `mfa_prompt`, else by `MFA_ENV_PROMPT`; undefined for
 * `terminal` or when neither is set. The profile's setting wins, as its `region` does over
 * AWS_REGION: a profile says how its own code is asked for. Case and spaces do not matter.
 */
export function promptProgramFor(mfaPromptSetting: string | undefined, env: NodeJS.ProcessEnv, profile?: string): PromptProgram | undefined {
  const fromProfile = mfaPromptSetting !== undefined && mfaPromptSetting.trim() !== '';
  const raw = fromProfile ? mfaPromptSetting : env.MFA_ENV_PROMPT;
  if (raw === undefined || raw.trim() === '') return undefined;
  const name = raw.trim().toLowerCase();
  if (name === TERMINAL) return undefined;
  if ((PROMPT_PROGRAMS as readonly string[]).includes(name)) return name as PromptProgram;
  const where = fromProfile ? `mfa_prompt of profile "${profile ?? '?'}"` : 'MFA_ENV_PROMPT';
  throw new UsageError(
    `invalid ${where}: ${JSON.stringify(raw)}`,
    `It is one of ${[TERMINAL, ...PROMPT_PROGRAMS].join(', ')}: the program that asks for the MFA code when there is no terminal.`,
  );
}
