/**
 * Choosing the handler of a multi-route function's request from its API Gateway route key, by
 * table rather than by hand. A key the table does not hold (only possible if the topology gives
 * the function a route it has no handler for) gets the function's own NotFoundError.
 */
import type { NotFoundError } from '../errors.ts';

/** A function's routes: `'METHOD /path/{param}'` as API Gateway spells the route key → handler. */
export type RouteTable<Handler> = Readonly<Record<string, Handler>>;

export function routeFor<Handler>(
  routes: RouteTable<Handler>,
  routeKey: string,
  notFound: (routeKey: string) => NotFoundError,
): Handler {
  // Own keys only: a route key such as 'constructor' must not find Object.prototype's.
  const handler = Object.hasOwn(routes, routeKey) ? routes[routeKey] : undefined;
  if (handler === undefined) throw notFound(routeKey);
  return handler;
}
