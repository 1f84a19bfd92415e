/**
 * What scripts/bundle.mjs does to esbuild's output before writing a bundle: heavy Node
 * built-ins on first use, built-in default imports without a copy, lazy packages imported
 * through the dispatcher, and the checks that keep a bundle loadable from a code cache.
 */
import Module from 'node:module';

/**
 * Node built-ins that `node -e 0` does not load and that cost up to ~3 ms each to load (crypto
 * alone is 15 internal modules). A module that imports one at the top gets it on first use.
 */
export const LAZY_BUILTINS = [
  'async_hooks', 'child_process', 'crypto', 'dgram', 'dns', 'dns/promises', 'fs/promises', 'http', 'http2', 'https',
  'inspector', 'net', 'perf_hooks', 'readline', 'readline/promises', 'stream/promises', 'timers/promises', 'tls', 'tty',
  'v8', 'vm', 'worker_threads', 'zlib',
];

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

/**
 * The bundle's final text from esbuild's `text`; `dynamicImports` are the lazy packages it
 * `import()`s (from the metafile). `cacheable`: whether V8 code caches of it can run.
 */
export function finishBundle(text, dynamicImports, name) {
  let result = text
    .replace(LAZY_BUILTIN_REQUIRE, (_, builtin) => `__lazyBuiltin("node:${builtin}")`)
    .replace(NODE_ESM, (call, required, builtin) => (Module.isBuiltin(builtin) ? `__nodeESM(${required})` : call));
  for (const specifier of dynamicImports) result = result.replaceAll(`import(${JSON.stringify(specifier)})`, `__import(${JSON.stringify(specifier)})`);
  // Any other import() (a computed specifier) could not run from a code cache: no cache then.
  const cacheable = !/\bimport\(/.test(result);
  // dispatch.cjs hands a bundle its own require(): fine for Node's built-ins, which are all a
  // bundle may require (its packages are bundled, or imported through __import).
  const required = [...result.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]).filter((module) => !Module.isBuiltin(module));
  if (required.length) throw new Error(`${name} requires ${[...new Set(required)].join(', ')}: bundle it or import() it lazily`);
  result = result.replace(/^("use strict";\n)?/, (strict) => `${strict}${LAZY_BUILTIN_HELPER}${NODE_ESM_HELPER}${IMPORT_HELPER}`);
  return { text: result, cacheable };
}
