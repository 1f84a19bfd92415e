/**
 * Preloaded with `node --import` by test/perf.test.ts: appends every module the process
 * resolves to the file named by MFA_ENV_MODULE_LOG, one per line. CommonJS through
 * Module._resolveFilename (file paths) and Module._load (built-ins, as `node:x`); ES modules,
 * including every `await import()`, through a resolve hook (file: URLs, `node:x`).
 */
import { appendFileSync } from 'node:fs';
import Module, { isBuiltin, register } from 'node:module';

const log = process.env.MFA_ENV_MODULE_LOG;
if (!log) throw new Error('record-modules: set MFA_ENV_MODULE_LOG');

register('./record-modules-hooks.mjs', import.meta.url, { data: { log } });

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function recordResolved(...args) {
  const resolved = resolveFilename.apply(this, args);
  if (!isBuiltin(resolved)) appendFileSync(log, `${resolved}\n`);
  return resolved;
};
// `require('node:x')` skips _resolveFilename: built-ins are recorded here, always as `node:x`.
const load = Module._load;
Module._load = function recordLoaded(request, ...rest) {
  if (typeof request === 'string' && isBuiltin(request)) appendFileSync(log, `node:${request.replace(/^node:/, '')}\n`);
  return load.call(this, request, ...rest);
};
