#!/usr/bin/env node
// `shimeji-sagas list|show|retry`: what a service's sagas are doing, read from its database.
require('@platform/shimeji/bin/run-main')(require.resolve('../src/cli/sagas-command.ts'));
