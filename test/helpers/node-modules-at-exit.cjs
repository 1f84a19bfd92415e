// Preloaded with `node --require` by test/perf.test.ts: writes the Node modules the process
// loaded (process.moduleLoadList: built-ins and their internals) to MFA_ENV_LOAD_LIST at exit.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.MFA_ENV_LOAD_LIST, process.moduleLoadList.join('\n')));
