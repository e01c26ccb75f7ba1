import { Router, type Request, type RequestHandler } from 'express';
import { methodNotAllowed } from '../method-not-allowed.js';
import { AppError } from '../app-error.js';
import { fieldIssues, parseInput } from '../validation.js';
import {
  compareRoutePaths,
  expressPath,
  methodsByPath,
  Reply,
  streamsEvents,
  successStatusOf,
  type HeaderSchema,
  type Route,
} from './route-table.js';

export interface MountOptions<Deps, Scheme extends string> {
  /** What handlers reach through `ctx.deps` (services, not HTTP). */
  deps: Deps;
  /** The middleware that checks each security scheme the table names. */
  authenticate?: Partial<Record<Scheme, RequestHandler>>;
  /** The limiter of each `rateLimit.name` the table names. */
  rateLimiters?: Record<string, RequestHandler>;
}

function guardOf<Scheme extends string>(
  security: 'public' | Scheme,
  authenticate: Partial<Record<Scheme, RequestHandler>> | undefined,
): RequestHandler[] {
  if (security === 'public') return [];
  const guard = authenticate?.[security];
  // A route declared secure must never be mounted open: fail at start-up instead.
  if (!guard) throw new Error(`no authenticate middleware for security scheme "${security}"`);
  return [guard];
}

/** The declared headers, read case-insensitively; a failure is a 400 naming `headers.<Name>`. */
function parseHeaders(schema: HeaderSchema, req: Request): Record<string, unknown> {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, req.get(name)]));
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new AppError(
    'validation_failed',
    'invalid request headers',
    fieldIssues(result.error, 'headers'),
  );
}

function answer<Deps>(route: Route<Deps, string>, deps: Deps): RequestHandler {
  const { params, query, body, headers } = route.request ?? {};
  const status = successStatusOf(route);
  const streaming = streamsEvents(route);
  return async (req, res) => {
    const input = {
      params: params ? parseInput(params, req.params, 'params') : undefined,
      query: query ? parseInput(query, req.query, 'query') : undefined,
      body: body ? parseInput(body, req.body, 'body') : undefined,
      headers: headers ? parseHeaders(headers, req) : undefined,
    };
    const result = await route.handler(input, { deps, req, res });
    // A stream's handler owns the response: it may still be open, headers not yet sent.
    if (streaming || res.headersSent) return;
    const [code, value] = result instanceof Reply ? [result.status, result.body] : [status, result];
    res.status(code);
    if (value === undefined) res.end();
    else res.json(value);
  };
}

/**
 * The Express side of a route table: each route behind its security check, rate limiter and own
 * middleware, its input validated before the handler runs; then, for every path, a 405 with
 * `Allow` for the methods it does not serve (OPTIONS: 204). A path only served to authenticated
 * callers checks them before answering 405, so it tells strangers nothing. Paths are mounted one
 * after the other, each with its 405, literal segments before templates (`/api/tasks/stream`
 * before `/api/tasks/{id}`), so a template never answers for a literal path.
 */
export function mountRoutes<Deps, Scheme extends string>(
  routes: ReadonlyArray<Route<Deps, Scheme>>,
  options: MountOptions<Deps, Scheme>,
): Router {
  const router = Router();
  const paths = [...methodsByPath(routes)].sort(([a], [b]) => compareRoutePaths(a, b));
  for (const [path, methods] of paths) {
    const served = routes.filter((r) => r.path === path);
    for (const route of served) {
      const guard = guardOf(route.security, options.authenticate);
      const limiter = route.rateLimit ? options.rateLimiters?.[route.rateLimit.name] : undefined;
      if (route.rateLimit && !limiter) {
        throw new Error(`no rate limiter named "${route.rateLimit.name}" for ${route.operationId}`);
      }
      router[route.method](
        expressPath(route.path),
        ...guard,
        ...(limiter ? [limiter] : []),
        ...(route.use ?? []),
        answer(route, options.deps),
      );
    }
    const schemes = new Set(served.map((r) => r.security));
    const [only] = schemes;
    const guard = schemes.size === 1 && only ? guardOf(only, options.authenticate) : [];
    router.all(expressPath(path), ...guard, methodNotAllowed(methods));
  }
  return router;
}
