/**
 * Preloaded with `node --import` by test/perf.test.ts: appends every module the process
 * resolves to the file named by MFA_ENV_MODULE_LOG, one per line. CommonJS through
 * Module._resolveFilename (file paths, `node:` built-ins); ES modules, including every
 * `await import()`, through a resolve hook (file: URLs).
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.MFA_ENV_MODULE_LOG;
if (!log) throw new Error('record-modules: set MFA_ENV_MODULE_LOG');

register('./record-modules-hooks.mjs', import.meta.url, { data: { log } });

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function recordResolved(...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(log, `${resolved}\n`);
  return resolved;
};
