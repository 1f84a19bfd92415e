#!/usr/bin/env node
// The installed command: compiled JavaScript from dist/, never tsx.
import module from 'node:module';

// Node >= 22.1 caches compiled code between runs; on Node 20 this is a no-op.
module.enableCompileCache?.();
const { main } = await import('../dist/cli.js');
await main();
