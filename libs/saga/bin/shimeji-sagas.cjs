#!/usr/bin/env node
// `shimeji-sagas list|show`: what a service's sagas are doing, read from its database.
require('tsx/cjs/api').register();
require('../src/cli/sagas-command.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
