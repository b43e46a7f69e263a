// A facade's own program, as apps/<name>/src/main.ts runs one: for tests that signal a process.
import { shopFacade } from '../support/shop-facade';

shopFacade({ name: 'outage_program', description: 'a shop run as its own program' }).main();
