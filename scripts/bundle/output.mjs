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

/**
 * `text` with `pattern` replaced, asserting it matched `expected` times (at least; a pattern
 * may also match text it does not need to). `expected` comes from elsewhere than the pattern:
 * esbuild's metafile, or a looser search. A rewrite that matches fewer (nothing, when esbuild's
 * output changed shape) throws, naming it, instead of quietly writing a slower or broken bundle.
 */
export function rewrite(text, name, pattern, replacement, expected = 1) {
  let matched = 0;
  const counted = (...match) => {
    matched += 1;
    return typeof replacement === 'function' ? replacement(...match) : replacement;
  };
  const result = typeof pattern === 'string' ? text.replaceAll(pattern, counted) : text.replace(pattern, counted);
  if (matched < expected) throw new Error(`bundle rewrite "${name}" matched ${matched === 0 ? 'nothing' : `${matched} of ${expected}`} (esbuild's output changed? see scripts/bundle/output.mjs)`);
  return result;
}

/** How many `__toESM(…("<built-in>")…)` esbuild wrote, however it spelled them: what NODE_ESM must match. */
function builtinToEsmCalls(text) {
  return [...text.matchAll(/__toESM\(\s*\w+\(\s*["'`]([^"'`]+)["'`]/g)].filter((match) => Module.isBuiltin(match[1])).length;
}

/**
 * The bundle's final text from esbuild's `text`. From the metafile: `builtins`, the Node
 * built-ins the bundle imports statically, and `dynamicImports`, the lazy packages it
 * `import()`s. `cacheable`: whether V8 code caches of it can run.
 */
export function finishBundle(text, { builtins = [], dynamicImports = [] }, name) {
  let result = text;
  const lazy = new Set([...builtins].map((id) => id.replace(/^node:/, '')).filter((id) => LAZY_BUILTINS.includes(id)));
  for (const builtin of lazy) {
    const pattern = new RegExp(`\\brequire\\("(?:node:)?${builtin.replace('/', '\\/')}"\\)`, 'g');
    result = rewrite(result, `${name}: lazy node:${builtin}`, pattern, `__lazyBuiltin("node:${builtin}")`);
  }
  const toEsm = builtinToEsmCalls(result);
  if (toEsm) result = rewrite(result, `${name}: built-in default imports`, NODE_ESM, (call, required, builtin) => (Module.isBuiltin(builtin) ? `__nodeESM(${required})` : call), toEsm);
  // The metafile names every import() of the modules bundled, also of code tree-shaken away:
  // what must be rewritten is each import() of them that esbuild wrote, however spelled.
  for (const specifier of dynamicImports) {
    const written = [...result.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].filter((match) => match[1] === specifier).length;
    if (written) result = rewrite(result, `${name}: import(${JSON.stringify(specifier)})`, `import(${JSON.stringify(specifier)})`, `__import(${JSON.stringify(specifier)})`, written);
  }
  // Any other import() (a computed specifier) could not run from a code cache: no cache then.
  const cacheable = !/\bimport\(/.test(result);
  // dispatch.cjs hands a bundle its own require(): fine for Node's built-ins, which are all a
  // bundle may require (its packages are bundled, or imported through __import).
  const required = [...result.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]).filter((module) => !Module.isBuiltin(module));
  if (required.length) throw new Error(`${name} requires ${[...new Set(required)].join(', ')}: bundle it or import() it lazily`);
  result = rewrite(result, `${name}: helpers`, /^("use strict";\n)?/, (strict) => `${strict}${LAZY_BUILTIN_HELPER}${NODE_ESM_HELPER}${IMPORT_HELPER}`);
  return { text: result, cacheable };
}
