/**
 * clipanion, edited as the bundles include it (scripts/bundle.mjs). The edits keep it from
 * building Node's stdio streams at start-up, and give it a faster simplifyMachine
 * (simplify-machine.mjs: the same parser, built in a quarter of the time).
 */
import { readFile } from 'node:fs/promises';
import { FAST_SIMPLIFY, ORIGINAL_SIMPLIFY } from './simplify-machine.mjs';

/**
 * clipanion 3.2.1 reads process.stdin, .stdout and .stderr (and loads tty) when it is imported,
 * and copies every context with `{ ...a, ...b }`, which reads them again: creating those
 * streams costs ~5 ms before mfa-env prints a byte. These edits make it leave them alone
 * until something uses them, as src/stdio.ts's context does: the default context and the
 * colour depth become getters, contexts are merged with their getters, and `run` works out
 * `colored` only when it prints help or an error. Each edit must match exactly once, so a
 * clipanion that changed fails the build here instead of quietly losing the edit.
 */
const CLIPANION_EDITS = {
  'clipanion/lib/core.mjs': [[ORIGINAL_SIMPLIFY, FAST_SIMPLIFY]],
  'clipanion/lib/platform/node.mjs': [
    ["import tty from 'tty';", "import { WriteStream as TtyWriteStream } from 'tty';"],
    ['if (tty && `getColorDepth` in tty.WriteStream.prototype)\n        return tty.WriteStream.prototype.getColorDepth();', 'if (TtyWriteStream && `getColorDepth` in TtyWriteStream.prototype)\n        return TtyWriteStream.prototype.getColorDepth();'],
  ],
  'clipanion/lib/advanced/Cli.mjs': [
    [
      'Cli.defaultContext = {\n    env: process.env,\n    stdin: process.stdin,\n    stdout: process.stdout,\n    stderr: process.stderr,\n    colorDepth: getDefaultColorDepth(),\n};',
      'Cli.defaultContext = {\n    env: process.env,\n    get stdin() { return process.stdin; },\n    get stdout() { return process.stdout; },\n    get stderr() { return process.stderr; },\n    get colorDepth() { return getDefaultColorDepth(); },\n};\nfunction mergeContexts(...contexts) {\n    const merged = {};\n    for (const context of contexts)\n        if (context)\n            Object.defineProperties(merged, Object.getOwnPropertyDescriptors(context));\n    return merged;\n}',
    ],
    ['const context = {\n            ...Cli.defaultContext,\n            ...userContext,\n        };', 'const context = mergeContexts(Cli.defaultContext, userContext);', 2],
    ['this.process(input, { ...context, ...subContext })', 'this.process(input, mergeContexts(context, subContext))'],
    ['this.run(input, { ...context, ...subContext })', 'this.run(input, mergeContexts(context, subContext))'],
    ['const colored = (_a = this.enableColors) !== null && _a !== void 0 ? _a : context.colorDepth > 1;', 'const colored = () => { var _a; return (_a = this.enableColors) !== null && _a !== void 0 ? _a : context.colorDepth > 1; };'],
    ['this.error(error, { colored })', 'this.error(error, { colored: colored() })'],
    ['this.usage(command, { colored, detailed: true })', 'this.usage(command, { colored: colored(), detailed: true })'],
    ['this.error(error, { colored, command })', 'this.error(error, { colored: colored(), command })'],
  ],
};

/**
 * `contents` of the clipanion file `key` with its edits made; throws, naming the edit, when one
 * does not match as often as it should.
 */
export function editClipanion(key, contents) {
  let edited = contents;
  for (const [from, to, times = 1] of CLIPANION_EDITS[key]) {
    const found = edited.split(from).length - 1;
    if (found !== times) throw new Error(`${key}: expected ${times} of ${JSON.stringify(from.slice(0, 60))}, found ${found} (clipanion changed? see CLIPANION_EDITS)`);
    edited = edited.replaceAll(from, to);
  }
  return edited;
}

export const clipanionEdits = {
  name: 'clipanion-edits',
  setup(builder) {
    builder.onLoad({ filter: /node_modules\/clipanion\/lib\/(platform\/node|advanced\/Cli|core)\.mjs$/ }, async (args) => {
      const key = Object.keys(CLIPANION_EDITS).find((name) => args.path.endsWith(name));
      return { contents: editClipanion(key, await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};
