"use strict";
// dist/mfa-env.cjs, copied there by scripts/bundle.mjs with the command words filled in: runs
// the bundle of the command word in argv (dist/bundle/<word>.cjs, that word's commands only),
// or the whole CLI (dist/bundle/all.cjs: help, typos, no command).
const Module = require("node:module");
const vm = require("node:vm");
const { readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");

const WORDS = new Set(/* WORDS */ []);

// The bundles' `import()` of the packages they load lazily (the AWS SDK, execa…) runs here, in
// a module Node compiled itself: code V8 restores from a code cache cannot `import()` on Node 20.
globalThis[Symbol.for("mfa-env.import")] = (specifier) => import(specifier);

/**
 * Loads a bundle. Below Node 22.1 (which keeps compiled code itself: bin/mfa-env.js), with
 * the V8 code cache `npm run build` made of it (scripts/bundle/code-cache.cjs): compiling ~120 KB and
 * the functions a run calls costs ~3 ms, reading them compiled ~0.5 ms. The cache's name holds
 * the hash on the bundle's first line, so it is only used with the text it was made from; V8
 * refuses one from another Node version or other V8 flags, and the bundle is compiled as usual.
 */
function load(file) {
  if (typeof Module.enableCompileCache === "function") return require(file);
  const source = readFileSync(file, "utf8");
  const id = /^\/\/ mfa-env bundle ([0-9a-f]{16})\n/.exec(source);
  let cachedData;
  try {
    if (id) cachedData = readFileSync(`${file.slice(0, -".cjs".length)}.${id[1]}.v8cache`);
  } catch {
    // no cache for this bundle (see scripts/bundle.mjs)
  }
  if (cachedData === undefined) return require(file);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const loaded = { exports: {} };
  // This module's require: a bundle requires only Node's built-ins (its packages come in through
  // the importer above), and they resolve the same from here.
  script.runInThisContext().call(loaded.exports, loaded.exports, require, loaded, file, dirname(file));
  return loaded.exports;
}

exports.main = () => {
  const word = process.argv[2];
  return load(join(__dirname, "bundle", `${WORDS.has(word) ? word : "all"}.cjs`)).main();
};
