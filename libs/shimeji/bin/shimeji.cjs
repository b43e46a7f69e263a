#!/usr/bin/env node
// The shimeji command. Services are TypeScript modules: tsx compiles them as they load.
require('tsx/cjs/api').register();
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then(
    // Exit now: a killed worker's timers or a service's stray handles must not keep us alive.
    (code) => process.exit(typeof code === 'number' ? code : 0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
