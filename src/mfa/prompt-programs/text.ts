import { MfaEnvError } from '../../errors.js';

/** What every prompt program shows: which device and which profile the code is for. */
export interface PromptText {
  title: string;
  /** `MFA code for device arn:aws:iam::123456789012:mfa/alice (profile dev)` */
  description: string;
  /** The label next to the entry field. */
  prompt: string;
  /** Why the user is asked again (a code that was not 6 digits, or was already used). */
  notice?: string;
}

export function promptText(serial: string, profile: string, notice?: string): PromptText {
  return {
    title: 'mfa-env',
    description: `MFA code for device ${serial} (profile ${profile})`,
    prompt: 'MFA code:',
    notice,
  };
}

export function cancelled(program: string): MfaEnvError {
  return new MfaEnvError(`the MFA code prompt (${program}) was cancelled`, 'Run the command again and type the 6 digits your authenticator shows.');
}
