// What an endpoint is: a method and a path (with at most one id in it), the parameters it
// accepts, and what it does to the state. Each resource module lists its own.
import type { Params } from './form';
import type { StripeState } from './state';

export interface Call {
  params: Params;
  /** The object id in the path, URL-decoded. */
  id: string;
}

export interface Route {
  method: 'GET' | 'POST';
  /** The path; `:id` stands for one path segment. */
  path: string;
  /** Top-level parameters the endpoint knows; any other is refused (`parameter_unknown`). */
  params: readonly string[];
  handle(state: StripeState, call: Call): unknown;
}

export interface MatchedRoute {
  route: Route;
  id: string;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): MatchedRoute | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    let id = '';
    const matches = pattern.every((part, i) => {
      if (part !== ':id') return part === segments[i];
      id = decodeURIComponent(segments[i]!);
      return id !== '';
    });
    if (matches) return { route, id };
  }
  return undefined;
}
