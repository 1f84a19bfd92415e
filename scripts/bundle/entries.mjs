/**
 * Which bundles scripts/bundle.mjs makes: one per command word, holding exactly the commands
 * the CLI registers for that word (cli.ts's commandsFor), each imported by name from the file
 * that exports it. A command the build cannot find in its own file is a build error: left
 * alone, its word would quietly fall through to the all-commands bundle (slower, and untested).
 */
import { join } from 'node:path';

/** A word that can name a file: dist/bundle/<word>.cjs. `all` is the whole CLI's bundle. */
const PLAIN_WORD = /^[a-z0-9_][a-z0-9_-]*$/;

/**
 * Map word → [{ name, source }] for every command word. `origin` maps a command class to
 * where it is exported ({ name, source: src/…ts }); `commandsFor` is cli.ts's.
 */
export function bundleWords(commands, origin, commandsFor) {
  const words = new Map();
  const lost = [];
  for (const command of commands) {
    for (const path of command.paths ?? []) {
      const word = path[0];
      if (word === undefined || words.has(word)) continue;
      if (!PLAIN_WORD.test(word) || word === 'all') throw new Error(`the command word ${JSON.stringify(word)} cannot name a bundle file (dist/bundle/<word>.cjs)`);
      const served = commandsFor([word], commands);
      const unexported = served.filter((c) => !origin.has(c));
      if (unexported.length) lost.push(`${word}: ${unexported.map((c) => c.name || '(anonymous class)').join(', ')}`);
      else words.set(word, served.map((c) => origin.get(c)));
    }
  }
  if (lost.length) throw new Error(`these commands are exported from no file under src/commands/, so their bundle cannot import them:\n  ${lost.join('\n  ')}`);
  return words;
}

/** The TypeScript entry of a word's bundle: the runner with only `commands`. */
export function entrySource(root, commands) {
  return [
    `import { main as runCli } from ${JSON.stringify(join(root, 'src', 'cli.ts'))};`,
    ...commands.map(({ name, source }, i) => `import { ${name} as Command${i} } from ${JSON.stringify(source)};`),
    `export const main = () => runCli([${commands.map((_, i) => `Command${i}`).join(', ')}]);`,
  ].join('\n');
}
