// What an entrypoint accepts, declared once beside the method instead of restated inside it.
// shimeji knows no validation library: a schema lib (see @platform/schemas' `argumentsOf`)
// implements this, and the framework binds `{args, kwargs}` to it and runs it before the worker.
import type { Parameter } from './parameters';

/** An entrypoint's arguments: their names (for kwargs) and how the bound values are checked. */
export interface EntrypointArguments {
  /** In positional order; `optional` ones may be left out by the caller. */
  readonly parameters: readonly Parameter[];
  /**
   * The method's arguments from the bound positional values: validated and normalised, or an
   * error the caller receives as the service's own (a BadRequest naming each field).
   */
  parse(values: readonly unknown[]): unknown[];
}
