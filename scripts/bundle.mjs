#!/usr/bin/env node
/**
 * Bundles the CLI into the CommonJS files the installed command runs (after tsc, which still
 * writes dist/**\/*.js for the tests that import single modules):
 *
 *   dist/mfa-env.cjs          dispatcher: picks the bundle of the command word in argv
 *   dist/bundle/<word>.cjs    the runner with only the commands of that word (login, clear, …)
 *   dist/bundle/all.cjs       every command (src/main.ts): help, typos, `mfa-env` alone
 *   dist/bundle/*.v8cache     below Node 22.1: V8's compiled code of each bundle (see dispatch.cjs)
 *
 * Why: on Node 20 a start-up graph of ~50 ES modules costs ~35 ms over `node -e 0` (module
 * resolution, the ESM loader itself, one compile per file); one CommonJS script costs a few,
 * and a script without the other ten commands costs less to compile and to initialise.
 * The slow dependencies (LAZY_PACKAGES) stay outside every bundle behind their
 * `await import()`, and heavy Node built-ins are loaded on first use (LAZY_BUILTINS).
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { prepareTraining, sessionVariables, TRAINING_RUNS } from './code-cache-training.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BUNDLE_DIR = join(DIST, 'bundle');
const DISPATCHER = join(DIST, 'mfa-env.cjs');
const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Loaded with `await import()` on the paths that need them, never at start-up (the contract). */
export const LAZY_PACKAGES = ['@aws-sdk/*', '@smithy/*', 'execa', 'proper-lockfile'];

/**
 * Node built-ins that `node -e 0` does not load and that cost up to ~3 ms each to load (crypto
 * alone is 15 internal modules). A module that imports one at the top gets it on first use.
 */
const LAZY_BUILTINS = [
  'async_hooks', 'child_process', 'crypto', 'dgram', 'dns', 'dns/promises', 'fs/promises', 'http', 'http2', 'https',
  'inspector', 'net', 'perf_hooks', 'readline', 'readline/promises', 'stream/promises', 'timers/promises', 'tls', 'tty',
  'v8', 'vm', 'worker_threads', 'zlib',
];

function isLazyPackage(path) {
  return LAZY_PACKAGES.some((pattern) => (pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern || path.startsWith(`${pattern}/`)));
}

/**
 * A CommonJS bundle has no `import.meta`. Each module gets back the URL it would have had as
 * its own file: src/x/y.ts → dist/x/y.js (so `new URL('../../shell/…', import.meta.url)` keeps
 * working), a dependency → its file in node_modules. Both relative to the bundle, so the
 * checkout can move.
 */
function importMetaPlugin(outfile) {
  return {
    name: 'import-meta-per-module',
    setup(builder) {
      builder.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const inSrc = args.path.startsWith(join(ROOT, 'src') + '/');
        const asFile = inSrc ? join(DIST, relative(join(ROOT, 'src'), args.path)).replace(/\.[cm]?ts$/, '.js') : args.path;
        const filename = `require("node:path").join(__dirname, ${JSON.stringify(relative(dirname(outfile), asFile))})`;
        const contents = source
          .replace(/\bimport\.meta\.url\b/g, `require("node:url").pathToFileURL(${filename}).href`)
          .replace(/\bimport\.meta\.filename\b/g, filename)
          .replace(/\bimport\.meta\.dirname\b/g, `require("node:path").dirname(${filename})`);
        if (contents.includes('import.meta')) throw new Error(`${args.path}: import.meta is used in a way the bundle cannot map`);
        return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

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
  'clipanion/lib/platform/node.mjs': [
    ["import tty from 'tty';", "import { WriteStream as TtyWriteStream } from 'tty';"],
    ['if (tty && `getColorDepth` in tty.WriteStream.prototype)\n        return tty.WriteStream.prototype.getColorDepth();', 'if (TtyWriteStream && `getColorDepth` in TtyWriteStream.prototype)\n        return TtyWriteStream.prototype.getColorDepth();'],
  ],
  'clipanion/lib/core.mjs': [
    [
      'compile() {\n        const machines = [];',
      `compile() {\n        const precompiled = typeof MFA_ENV_PARSER === "object" && MFA_ENV_PARSER.signature === mfaEnvParserSignature(this) ? JSON.parse(MFA_ENV_PARSER.machine) : undefined;\n        if (precompiled)\n            return { machine: precompiled, contexts: this.builders.map((builder) => builder.context), process: (input) => runMachine(precompiled, input), suggest: (input, partial) => suggestMachine(precompiled, input, partial) };\n        const machines = [];`,
    ],
    ['export { CliBuilder,', `${mfaEnvParserSignature}\nexport { CliBuilder,`],
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
 * What clipanion's parser (CliBuilder.compile: a state machine, ~0.7 ms for login's options)
 * is made from: the binary name and each command's paths, options and arity. The build
 * compiles each bundle's parser once and stores it with this signature; at run time the
 * edited compile() uses it only when the signature of what was registered is the same.
 */
function mfaEnvParserSignature(cliBuilder) {
  return JSON.stringify([cliBuilder.opts, cliBuilder.builders.map((builder) => [builder.paths, builder.options, builder.arity])], (key, value) => (typeof value === 'symbol' ? String(value) : value));
}

const clipanionLazyStdio = {
  name: 'clipanion-lazy-stdio',
  setup(builder) {
    builder.onLoad({ filter: /node_modules\/clipanion\/lib\/(platform\/node|advanced\/Cli|core)\.mjs$/ }, async (args) => {
      const key = Object.keys(CLIPANION_EDITS).find((name) => args.path.endsWith(name));
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to, times = 1] of CLIPANION_EDITS[key]) {
        const found = contents.split(from).length - 1;
        if (found !== times) throw new Error(`${key}: expected ${times} of ${JSON.stringify(from.slice(0, 60))}, found ${found} (clipanion changed? see CLIPANION_EDITS)`);
        contents = contents.replaceAll(from, to);
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Turns the top-level `require("node:crypto")` esbuild writes for an import into a stand-in
 * that loads the module on first use. esbuild compiles a named import to a property read at
 * each use (`(0, import_node_crypto.createHash)(…)`), so the stand-in is invisible to the code.
 */
const LAZY_BUILTIN_HELPER = `var __lazyBuiltin = (id) => {
  let loaded;
  const load = () => loaded ??= require(id);
  return new Proxy({}, {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  });
};
`;
/**
 * esbuild's __toESM copies every property of a module imported with `import x from` or
 * `import * as x from` onto a new object (~100 for node:fs, ~80 for node:process: ~0.4 ms
 * per start). For Node's built-ins a view does the same job: `default` is the module itself,
 * every other name reads through, and a lazy built-in stays lazy.
 */
const NODE_ESM_HELPER = `var __nodeESM = (mod) => new Proxy(mod, { get: (target, key) => (key === "default" ? target : target[key]) });
`;
const NODE_ESM = /__toESM\(((?:require|__lazyBuiltin)\("([^"]+)"\)), 1\)/g;

/**
 * esbuild leaves `import("execa")` of a lazy package as it is; the bundle calls it through the
 * dispatcher's importer instead (see dispatch.cjs), or `import()` when loaded on its own.
 */
const IMPORT_HELPER = `var __import = (specifier) => (globalThis[Symbol.for("mfa-env.import")] ?? ((s) => import(s)))(specifier);
`;

const LAZY_BUILTIN_REQUIRE = new RegExp(`\\brequire\\("(?:node:)?(${LAZY_BUILTINS.map((name) => name.replace('/', '\\/')).join('|')})"\\)`, 'g');

async function bundle({ outfile, entry, stdin, parser }) {
  const result = await build({
    absWorkingDir: ROOT,
    ...(entry ? { entryPoints: [entry] } : { stdin: { ...stdin, resolveDir: ROOT, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: LAZY_PACKAGES,
    // The ES builds of dependencies where they ship one (clipanion: an extension-less `main`
    // with a .mjs twin): scope-hoisted instead of one CommonJS wrapper per file, ~3 ms.
    mainFields: ['module', 'main'],
    resolveExtensions: ['.mjs', '.ts', '.js', '.json'],
    plugins: [clipanionLazyStdio, importMetaPlugin(outfile)],
    define: { MFA_ENV_VERSION: JSON.stringify(VERSION), MFA_ENV_PARSER: JSON.stringify(parser ?? null) },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });

  // A static import of a lazy package would become a start-up `require()` in the bundle (and
  // require() of an ES module such as execa fails on Node < 20.19): refuse to build it.
  const staticImports = [];
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && isLazyPackage(imported.path) && imported.kind !== 'dynamic-import') {
        staticImports.push(`${file}: ${imported.kind} of ${imported.path}`);
      }
    }
  }
  if (staticImports.length) {
    throw new Error(`these slow modules must be loaded with \`await import()\` where they are needed:\n  ${staticImports.join('\n  ')}`);
  }

  const [output] = result.outputFiles;
  let text = output.text
    .replace(LAZY_BUILTIN_REQUIRE, (_, name) => `__lazyBuiltin("node:${name}")`)
    .replace(NODE_ESM, (call, required, name) => (Module.isBuiltin(name) ? `__nodeESM(${required})` : call));
  const imported = new Set(Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external && i.kind === 'dynamic-import').map((i) => i.path)));
  for (const specifier of imported) text = text.replaceAll(`import(${JSON.stringify(specifier)})`, `__import(${JSON.stringify(specifier)})`);
  // Any other import() (a computed specifier) could not run from a code cache: no cache then.
  const cacheable = !/\bimport\(/.test(text);
  // dispatch.cjs hands a bundle its own require(): fine for Node's built-ins, which are all a
  // bundle may require (its packages are bundled, or imported through __import).
  const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]).filter((name) => !Module.isBuiltin(name));
  if (required.length) throw new Error(`${relative(ROOT, output.path)} requires ${[...new Set(required)].join(', ')}: bundle it or import() it lazily`);
  text = text.replace(/^("use strict";\n)?/, (strict) => `${strict}${LAZY_BUILTIN_HELPER}${NODE_ESM_HELPER}${IMPORT_HELPER}`);
  // The first line names the text, so that a code cache is only ever used with its own bundle.
  const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
  writeAtomic(output.path, `// mfa-env bundle ${id}\n${text}`);
  return { outfile: output.path, id, cacheable };
}

/** Whether the Node that builds (and so runs) mfa-env loads bundles with our code cache: dispatch.cjs. */
const MAKES_CODE_CACHE = typeof Module.enableCompileCache !== 'function';

/**
 * V8's code cache of a bundle after one run with `args` (see code-cache-training.mjs); a run
 * that fails is replaced by a `--help` run. Resolves with the run's stdout, or undefined.
 */
async function codeCache({ outfile, id, cacheable }, args, env) {
  if (!cacheable) {
    console.warn(`bundle: ${relative(ROOT, outfile)} has an import() with a computed specifier; no code cache for it`);
    return undefined;
  }
  const make = (runArgs) =>
    promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'code-cache.cjs'), outfile, `${outfile.slice(0, -'.cjs'.length)}.${id}.v8cache`, ...runArgs], { env });
  try {
    return (await make(args)).stdout;
  } catch (error) {
    const help = [...args.filter((arg) => !arg.startsWith('-')).slice(0, 1), '--help'];
    if (args.join(' ') === help.join(' ')) throw error;
    console.warn(`bundle: the code-cache run \`mfa-env ${args.join(' ')}\` failed (${String(error.stderr || error.message).trim().split('\n')[0]}); \`${help.join(' ')}\` instead`);
    await make(help);
    return undefined;
  }
}

/**
 * Other processes may run the CLI while it is being rebuilt (tests in this checkout): a file is
 * replaced by rename, never truncated, so they see the old one or the new one.
 */
function writeAtomic(path, text) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** The command words and, for each, the commands the CLI would register for it (commandsFor). */
async function commandWords() {
  const { COMMANDS } = await import(pathToFileURL(join(DIST, 'commands', 'index.js')).href);
  const { cliFor, commandsFor } = await import(pathToFileURL(join(DIST, 'cli.js')).href);
  // Where each command class is exported from, to import it by name in a bundle's entry.
  const origin = new Map();
  const scan = async (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await scan(path);
      else if (entry.name.endsWith('.js')) {
        for (const [name, value] of Object.entries(await import(pathToFileURL(path).href))) {
          if (COMMANDS.includes(value) && !origin.has(value)) origin.set(value, { name, source: join(ROOT, 'src', relative(DIST, path)).replace(/\.js$/, '.ts') });
        }
      }
    }
  };
  await scan(join(DIST, 'commands'));
  const words = new Map();
  for (const command of COMMANDS) {
    for (const path of command.paths ?? []) {
      const word = path[0];
      // A word that is not a plain file name, or a command found nowhere: the whole CLI serves it.
      if (word === undefined || words.has(word) || !/^[a-z0-9_][a-z0-9_-]*$/.test(word) || word === 'all') continue;
      const commands = commandsFor([word], COMMANDS);
      if (commands.every((c) => origin.has(c))) words.set(word, { commands: commands.map((c) => origin.get(c)), parser: parserFor(cliFor([word], COMMANDS)) });
    }
  }
  // The whole CLI serves argv whose first word is no command: the same registrations for all.
  return { words, allParser: parserFor(cliFor([], COMMANDS)) };
}

/** The parser clipanion compiles for `cli`, with its signature (see mfaEnvParserSignature). */
function parserFor(cli) {
  return { signature: mfaEnvParserSignature(cli.builder), machine: JSON.stringify(cli.builder.compile().machine) };
}

async function main() {
  const { words, allParser } = await commandWords();
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const [all, ...perWord] = await Promise.all([
    bundle({ outfile: join(BUNDLE_DIR, 'all.cjs'), entry: 'src/main.ts', parser: allParser }),
    ...[...words].map(([word, { commands, parser }]) =>
      bundle({
        outfile: join(BUNDLE_DIR, `${word}.cjs`),
        parser,
        stdin: {
          sourcefile: `mfa-env-${word}.ts`,
          contents: [
            `import { main as runCli } from ${JSON.stringify(join(ROOT, 'src', 'cli.ts'))};`,
            ...commands.map(({ name, source }, i) => `import { ${name} as Command${i} } from ${JSON.stringify(source)};`),
            `export const main = () => runCli([${commands.map((_, i) => `Command${i}`).join(', ')}]);`,
          ].join('\n'),
        },
      }),
    ),
  ]);
  const caches = new Set();
  if (MAKES_CODE_CACHE) {
    const home = mkdtempSync(join(tmpdir(), 'mfa-env-code-cache-'));
    try {
      let env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
      let runs = {};
      try {
        env = await prepareTraining(home, DIST);
        runs = TRAINING_RUNS;
      } catch (error) {
        console.warn(`bundle: code caches from --help runs only: ${error.message}`);
      }
      const bundleOf = new Map([...words.keys()].map((word, i) => [word, perWord[i]]));
      const argsOf = (word) => runs[word] ?? [word, '--help'];
      // login first: the others run with the session it printed.
      const printed = bundleOf.has('login') ? await codeCache(bundleOf.get('login'), argsOf('login'), env) : undefined;
      const sessionEnv = { ...env, ...sessionVariables(printed ?? '') };
      await Promise.all([
        codeCache(all, ['--help'], env),
        ...[...bundleOf].filter(([word]) => word !== 'login').map(([word, bundled]) => codeCache(bundled, argsOf(word), sessionEnv)),
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    for (const { outfile, id } of [all, ...perWord].filter((b) => b.cacheable)) caches.add(`${relative(BUNDLE_DIR, outfile).slice(0, -'.cjs'.length)}.${id}.v8cache`);
  }
  // The dispatcher last, once every bundle it names is in place; then what no longer belongs.
  const template = readFileSync(join(ROOT, 'scripts', 'dispatch.cjs'), 'utf8');
  if (!template.includes('/* WORDS */ []')) throw new Error('scripts/dispatch.cjs lost its /* WORDS */ [] placeholder');
  writeAtomic(DISPATCHER, template.replace('/* WORDS */ []', JSON.stringify([...words.keys()].sort())));
  for (const name of readdirSync(BUNDLE_DIR)) {
    const word = /^([a-z0-9_][a-z0-9_-]*)\.cjs$/.exec(name)?.[1];
    if (word !== undefined && word !== 'all' && !words.has(word)) rmSync(join(BUNDLE_DIR, name), { force: true });
    if (/^[a-z0-9_][a-z0-9_-]*\.[0-9a-f]{16}\.v8cache$/.test(name) && !caches.has(name)) rmSync(join(BUNDLE_DIR, name), { force: true });
  }
}

main().catch((error) => {
  console.error(`bundle: ${error.message}`);
  process.exit(1);
});
