#!/usr/bin/env node
// The shimeji command. Services are TypeScript modules: tsx compiles them as they load.
require('./run-main.cjs')(require.resolve('../src/cli/main.ts'));
