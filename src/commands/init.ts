import { Option } from 'clipanion';
import { UsageError } from '../errors.js';
import { rcTable } from '../integration/rc-table.js';
import { binaryPath, readScript, renderScript } from '../integration/scripts.js';
import { integratedShell, integratedShells } from '../shells/index.js';
import { MfaEnvCommand } from './base.js';

const SHELLS = integratedShells();
/** Where each rc file is, as the help shows it. */
const HELP_PATHS = { home: '~', config: '~/.config', zdotdir: '~' };

export class InitCommand extends MfaEnvCommand {
  static override paths = [['init']];

  static override usage = MfaEnvCommand.Usage({
    description: 'print the shell integration: the mfa-env wrapper, the prompt segment and tab completion',
    details: `
      Add the line for your shell to its rc file. Afterwards \`mfa-env login\` and \`mfa-env clear\` set and unset the session variables in the shell itself (no \`eval\` to type), the prompt shows the session's profile and time left (\`dev 11h59m\`, yellow under 15 minutes, red when expired; no colour with NO_COLOR), and Tab completes commands, options and profile names.

      bash and zsh draw the segment without starting any process (a PROMPT_COMMAND / precmd hook fills \`$mfa_env_segment\`); fish puts it in \`fish_right_prompt\`. \`--no-prompt\` leaves your prompt alone: call \`mfa_env_prompt\` (or use \`$mfa_env_segment\`) where you want it, or see \`mfa-env prompt\` for prompt frameworks.
    `,
    examples: [
      ...SHELLS.map((shell): [string, string] => [`${shell.name} (${shell.integration.rcFiles(HELP_PATHS)[0]})`, shell.integration.initLine('$0')]),
      ['Keep your prompt as it is', 'eval "$($0 init zsh --no-prompt)"'],
    ],
  });

  shell = Option.String({ name: SHELLS.map((shell) => shell.name).join('|'), required: false });
  noPrompt = Option.Boolean('--no-prompt', false, { description: 'do not add the session segment to the prompt (the functions are still defined)' });
  /** For install.sh: the rc file and init line of every shell, for the link at PATH (see src/integration/rc-table.ts). */
  rcTable = Option.String('--rc-table', { hidden: true });

  async run(): Promise<number> {
    if (this.rcTable !== undefined) {
      this.out(rcTable(this.context.env, this.rcTable));
      return 0;
    }
    const shell = integratedShell(this.shell ?? '');
    if (!shell) {
      const names = SHELLS.map((candidate) => candidate.name).join(', ');
      const what = this.shell === undefined ? 'which shell? `mfa-env init` needs one' : `no shell integration for "${this.shell}"`;
      throw new UsageError(what, `Use one of: ${names}. Other shells: eval "$(mfa-env login --shell sh)".`);
    }
    this.out(renderScript(readScript(shell), { shell, binary: binaryPath(), prompt: !this.noPrompt }));
    return 0;
  }
}
