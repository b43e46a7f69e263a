#!/usr/bin/env node
// The stripe-emulator command. The emulator is TypeScript: tsx compiles it as it loads.
require('tsx/cjs/api').register();
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
