// Runs the web facade as its own program (docker-compose: `tsx apps/web/src/main.ts --config apps/platform/config.yaml`).
import { web } from './app';

web.main();
