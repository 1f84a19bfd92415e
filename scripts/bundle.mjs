#!/usr/bin/env node
/**
 * Bundles src/cli.ts into dist/mfa-env.cjs, the one file the installed command loads.
 *
 * Why one CommonJS file: on Node 20 a start-up graph of ~40 ES modules costs ~35 ms more than
 * `node -e 0` (resolution, the ESM loader itself, one compile per file); one CommonJS script
 * costs a few. The slow dependencies stay outside the bundle and keep their `await import()`,
 * so they load only on the paths that need them (see LAZY_PACKAGES). tsc still writes the
 * per-module files in dist/ for the tests that import them.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTFILE = join(ROOT, 'dist', 'mfa-env.cjs');

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
const importMetaPlugin = {
  name: 'import-meta-per-module',
  setup(builder) {
    builder.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const inSrc = args.path.startsWith(join(ROOT, 'src') + '/');
      const asFile = inSrc ? join(ROOT, 'dist', relative(join(ROOT, 'src'), args.path)).replace(/\.[cm]?ts$/, '.js') : args.path;
      const fromBundle = JSON.stringify(relative(dirname(OUTFILE), asFile));
      const filename = `require("node:path").join(__dirname, ${fromBundle})`;
      const contents = source
        .replace(/\bimport\.meta\.url\b/g, `require("node:url").pathToFileURL(${filename}).href`)
        .replace(/\bimport\.meta\.filename\b/g, filename)
        .replace(/\bimport\.meta\.dirname\b/g, `require("node:path").dirname(${filename})`);
      if (contents.includes('import.meta')) throw new Error(`${args.path}: import.meta is used in a way the bundle cannot map`);
      return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli.ts'],
  outfile: OUTFILE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: LAZY_PACKAGES,
  // ES builds of dependencies where they ship one (clipanion does), so unused parts are dropped.
  mainFields: ['module', 'main'],
  plugins: [importMetaPlugin],
  metafile: true,
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
  console.error(`bundle: these slow modules must be loaded with \`await import()\` where they are needed:\n  ${staticImports.join('\n  ')}`);
  process.exit(1);
}
