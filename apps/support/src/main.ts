// Runs the support facade as its own program (docker-compose: `tsx apps/support/src/main.ts --config apps/platform/config.yaml`).
import { support } from './app';

support.main();
