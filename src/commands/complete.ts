import { Cli, Option } from 'clipanion';
import { awsFiles, loadAllProfiles } from '../aws/profiles.js';
import { complete, parseOptionDefinition, type CompletableCommand } from '../integration/completion.js';
import { readProfilesSnapshot } from '../session/profiles-snapshot.js';
import { MfaEnvCommand } from './base.js';

/**
 * `mfa-env __complete -- WORD… CURRENT`: the tab-completion candidates, one a line, for the
 * shell scripts. No `usage` on purpose: clipanion leaves undocumented commands out of the help.
 */
export class CompleteCommand extends MfaEnvCommand {
  static override paths = [['__complete']];

  words = Option.Proxy();

  async run(): Promise<number> {
    const words = this.words[0] === '--' ? this.words.slice(1) : this.words;
    const commands: CompletableCommand[] = (await allDefinitions()).map((definition) => ({
      path: definition.path.split(' ').slice(1),
      options: definition.options.map((option) => parseOptionDefinition(option.definition)),
    }));
    const candidates = await complete(words, {
      commands,
      profiles: async () => {
        try {
          // Every Tab runs this: the loader's snapshot while the AWS files are unchanged (~30 ms less).
          const files = awsFiles(this.context.env);
          return Object.keys(readProfilesSnapshot(files) ?? (await loadAllProfiles(files)));
        } catch {
          return []; // unreadable files: no candidates, never an error in the middle of a command line
        }
      },
    });
    if (candidates.length) this.out(`${candidates.join('\n')}\n`);
    return 0;
  }
}

/**
 * Every command's definition. The running Cli holds only the command argv named (src/cli.ts
 * registers no more, for start-up time), so build one with all of them. Imported when needed:
 * index.ts imports this file.
 */
async function allDefinitions() {
  const { COMMANDS } = await import('./index.js');
  const cli = new Cli();
  for (const command of COMMANDS) cli.register(command);
  return cli.definitions();
}
