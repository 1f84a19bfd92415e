import { paintSegment, sessionSegment } from '../integration/segment.js';
import { MfaEnvCommand } from './base.js';

export class PromptCommand extends MfaEnvCommand {
  static override paths = [['prompt']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print the prompt segment of the current session, for prompt frameworks',
    details: `
      Prints what the shell function \`mfa_env_prompt\` prints: the profile and the time left (\`dev 11h59m\`, \`dev 42m\`), yellow under 15 minutes, red \`dev expired\` after expiry, nothing without a session (MFA_ENV_EXPIRES). Colours are plain ANSI codes, none when NO_COLOR is set. No newline at the end. Always exits 0, so a prompt never shows an error.

      It reads only the environment: no files, no network. Still, it starts a process for every prompt; with the shell integration loaded, \`mfa_env_prompt\` and \`$mfa_env_segment\` cost none (bash, zsh).
    `,
    examples: [
      ['starship (~/.config/starship.toml)', '[custom.mfa_env]\ncommand = "mfa-env prompt"\nwhen = "test -n \\"$MFA_ENV_EXPIRES\\""'],
      ['Without colours', 'NO_COLOR=1 $0 prompt'],
    ],
  });

  async run(): Promise<number> {
    const env = this.context.env;
    const segment = sessionSegment(env, Math.floor(Date.now() / 1000));
    if (segment) this.out(paintSegment(segment, !env.NO_COLOR));
    return 0;
  }
}
