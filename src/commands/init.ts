import { Option } from 'clipanion';
import { UsageError } from '../errors.js';
import { binaryPath, INTEGRATION_SHELLS, isIntegrationShell, readScript, renderScript } from '../integration/scripts.js';
import { resolveShell } from '../shells/index.js';
import { MfaEnvCommand } from './base.js';

export class InitCommand extends MfaEnvCommand {
  static override paths = [['init']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print the shell integration: the mfa-env wrapper, the prompt segment and tab completion',
    details: `
      Add the line for your shell to its rc file. Afterwards \`mfa-env login\` and \`mfa-env clear\` set and unset the session variables in the shell itself (no \`eval\` to type), the prompt shows the session's profile and time left (\`dev 11h59m\`, yellow under 15 minutes, red when expired; no colour with NO_COLOR), and Tab completes commands, options and profile names.

      bash and zsh draw the segment without starting any process (a PROMPT_COMMAND / precmd hook fills \`$mfa_env_segment\`); fish puts it in \`fish_right_prompt\`. \`--no-prompt\` leaves your prompt alone: call \`mfa_env_prompt\` (or use \`$mfa_env_segment\`) where you want it, or see \`mfa-env prompt\` for prompt frameworks.
    `,
    examples: [
      ['bash (~/.bashrc)', 'eval "$($0 init bash)"'],
      ['zsh (~/.zshrc)', 'eval "$($0 init zsh)"'],
      ['fish (~/.config/fish/conf.d/mfa-env.fish)', '$0 init fish | source'],
      ['Keep your prompt as it is', 'eval "$($0 init zsh --no-prompt)"'],
    ],
  });

  shell = Option.String({ name: 'bash|zsh|fish' });
  noPrompt = Option.Boolean('--no-prompt', false, { description: 'do not add the session segment to the prompt (the functions are still defined)' });

  async run(): Promise<number> {
    if (!isIntegrationShell(this.shell)) {
      throw new UsageError(`no shell integration for "${this.shell}"`, `Use one of: ${INTEGRATION_SHELLS.join(', ')}. Other shells: eval "$(mfa-env login --shell sh)".`);
    }
    const script = renderScript(readScript(this.shell), {
      shell: resolveShell(this.shell),
      binary: binaryPath(),
      prompt: !this.noPrompt,
    });
    this.out(script);
    return 0;
  }
}
