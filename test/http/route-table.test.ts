/**
 * A multi-route function's table: the route key picks its handler, and a key the table does not
 * hold, an inherited property name included, gets the function's NotFoundError.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../shared/errors.ts';
import { type RouteTable, routeFor } from '../../shared/http/route-table.ts';

const routes: RouteTable<() => string> = {
  'GET /api/things': () => 'list',
  'POST /api/things': () => 'create',
};
const notFound = (routeKey: string) => new NotFoundError(`No thing route ${routeKey}`);

describe('a route table', () => {
  it('answers the handler of the route key', () => {
    expect(routeFor(routes, 'POST /api/things', notFound)()).toBe('create');
    expect(routeFor(routes, 'GET /api/things', notFound)()).toBe('list');
  });

  it('throws the function’s NotFoundError for a route it does not hold', () => {
    expect(() => routeFor(routes, 'DELETE /api/things', notFound)).toThrow(
      new NotFoundError('No thing route DELETE /api/things'),
    );
  });

  it('does not take an inherited property for a route', () => {
    expect(() => routeFor(routes, 'constructor', notFound)).toThrow(NotFoundError);
    expect(() => routeFor(routes, '__proto__', notFound)).toThrow(NotFoundError);
  });
});
