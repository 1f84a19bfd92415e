#!/usr/bin/env node
// The installed command: compiled JavaScript, one CommonJS bundle (dist/mfa-env.cjs, made by
// scripts/bundle.mjs from src/), never tsx. This file is CommonJS (bin/package.json) because
// Node 20's ES module loader alone adds ~5 ms to every start.
'use strict';

// Node >= 22.1 keeps compiled code between runs; on Node 20 there is no such cache.
require('node:module').enableCompileCache?.();
require('../dist/mfa-env.cjs').main();
