// Runs the admin facade as its own program (docker-compose: `tsx apps/admin/src/main.ts --config apps/platform/config.yaml`).
import { admin } from './app';

admin.main();
