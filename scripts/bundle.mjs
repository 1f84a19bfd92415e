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
import { clipanionEdits } from './bundle/clipanion.mjs';
import { prepareTraining, sessionVariables, TRAINING_RUNS } from './bundle/code-cache-training.mjs';
import { bundleWords, entrySource } from './bundle/entries.mjs';
import { finishBundle } from './bundle/output.mjs';
import { checkSimplifyEquivalence } from './bundle/simplify-machine.mjs';
import { smokeRuns, smokeTest } from './bundle/smoke.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BUNDLE_DIR = join(DIST, 'bundle');
const DISPATCHER = join(DIST, 'mfa-env.cjs');
const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Loaded with `await import()` on the paths that need them, never at start-up (the contract). */
export const LAZY_PACKAGES = ['@aws-sdk/*', '@smithy/*', 'execa', 'proper-lockfile'];

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

async function bundle({ outfile, entry, stdin }) {
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
    plugins: [clipanionEdits, importMetaPlugin(outfile)],
    define: { MFA_ENV_VERSION: JSON.stringify(VERSION) },
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
  const externals = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external));
  const dynamicImports = new Set(externals.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
  const builtins = new Set(externals.filter((i) => i.kind !== 'dynamic-import' && Module.isBuiltin(i.path)).map((i) => i.path));
  const { text, cacheable } = finishBundle(output.text, { builtins, dynamicImports }, relative(ROOT, output.path));
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
    promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'bundle', 'code-cache.cjs'), outfile, `${outfile.slice(0, -'.cjs'.length)}.${id}.v8cache`, ...runArgs], { env });
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

/** The command words and, for each, the commands its bundle holds (entries.mjs). */
async function commandWords() {
  const { COMMANDS } = await import(pathToFileURL(join(DIST, 'commands', 'index.js')).href);
  const { commandsFor } = await import(pathToFileURL(join(DIST, 'cli.js')).href);
  // Where each command class is exported from, to import it by name in a bundle's entry.
  const origin = new Map();
  const scan = async (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await scan(path);
      else if (entry.name.endsWith('.js') && path !== join(DIST, 'commands', 'index.js')) {
        for (const [name, value] of Object.entries(await import(pathToFileURL(path).href))) {
          if (COMMANDS.includes(value) && !origin.has(value)) origin.set(value, { name, source: join(ROOT, 'src', relative(DIST, path)).replace(/\.js$/, '.ts') });
        }
      }
    }
  };
  await scan(join(DIST, 'commands'));
  return bundleWords(COMMANDS, origin, commandsFor);
}

/** Each bundle's parser (cli.ts's cliFor for its word; all commands for all.cjs), by name. */
async function bundleClis(words) {
  const { COMMANDS } = await import(pathToFileURL(join(DIST, 'commands', 'index.js')).href);
  const { cliFor } = await import(pathToFileURL(join(DIST, 'cli.js')).href);
  return [['all.cjs', cliFor([], COMMANDS)], ...[...words.keys()].map((word) => [`${word}.cjs`, cliFor([word], COMMANDS)])];
}

async function main() {
  const words = await commandWords();
  await checkSimplifyEquivalence(await bundleClis(words));
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const [all, ...perWord] = await Promise.all([
    bundle({ outfile: join(BUNDLE_DIR, 'all.cjs'), entry: 'src/main.ts' }),
    ...[...words].map(([word, commands]) =>
      bundle({ outfile: join(BUNDLE_DIR, `${word}.cjs`), stdin: { sourcefile: `mfa-env-${word}.ts`, contents: entrySource(ROOT, commands) } }),
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
  const template = readFileSync(join(ROOT, 'scripts', 'bundle', 'dispatch.cjs'), 'utf8');
  if (!template.includes('/* WORDS */ []')) throw new Error('scripts/bundle/dispatch.cjs lost its /* WORDS */ [] placeholder');
  writeAtomic(DISPATCHER, template.replace('/* WORDS */ []', JSON.stringify([...words.keys()].sort())));
  for (const name of readdirSync(BUNDLE_DIR)) {
    const word = /^([a-z0-9_][a-z0-9_-]*)\.cjs$/.exec(name)?.[1];
    if (word !== undefined && word !== 'all' && !words.has(word)) rmSync(join(BUNDLE_DIR, name), { force: true });
    if (/^[a-z0-9_][a-z0-9_-]*\.[0-9a-f]{16}\.v8cache$/.test(name) && !caches.has(name)) rmSync(join(BUNDLE_DIR, name), { force: true });
  }
  // Every bundle once, as installed: a bundle that builds but cannot run fails the build here.
  const failures = await smokeTest(join(ROOT, 'bin', 'mfa-env.js'), smokeRuns(words.keys()));
  if (failures.length) throw new Error(`a bundle does not run:\n  ${failures.join('\n  ')}`);
}

main().catch((error) => {
  console.error(`bundle: ${error.message}`);
  process.exit(1);
});
