#!/usr/bin/env node
// `shimeji-db migrate <module…>`: services' migrations, outside the services.
require('@platform/shimeji/bin/run-main')(require.resolve('../src/migrate-command.ts'));
