"use strict";
// Run by scripts/bundle.mjs, one process per bundle: compiles the bundle as dist/mfa-env.cjs
// loads it, runs it once with the given arguments (`<word> --help`: no side effects), and saves
// V8's code cache of everything that run compiled, for dist/mfa-env.cjs to load next time.
//
//   node scripts/bundle/code-cache.cjs BUNDLE OUT ARG…
const Module = require("node:module");
const vm = require("node:vm");
const { readFileSync, renameSync, writeFileSync } = require("node:fs");
const { dirname } = require("node:path");

const [file, out, ...args] = process.argv.slice(2);
globalThis[Symbol.for("mfa-env.import")] = (specifier) => import(specifier);
const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file });
const loaded = { exports: {} };
script.runInThisContext().call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, dirname(file));
process.argv = [process.argv[0], file, ...args];
loaded.exports.main().then(() => {
  writeFileSync(`${out}.${process.pid}.tmp`, script.createCachedData());
  renameSync(`${out}.${process.pid}.tmp`, out);
});
