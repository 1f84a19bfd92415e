// The CLI as tsc compiled it (dist/main.js, plain clipanion, no bundle): test/perf.test.ts
// checks that the installed command's bundles answer every argv the same way.
import { main } from '../../dist/main.js';

await main();
