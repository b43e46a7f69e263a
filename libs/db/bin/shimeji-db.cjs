#!/usr/bin/env node
// `shimeji-db migrate <module…>`: services' migrations, outside the services.
require('tsx/cjs/api').register();
require('../src/migrate-command.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
