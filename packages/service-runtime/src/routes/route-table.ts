import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';

/** The methods a route table may serve; HEAD and OPTIONS are answered for every path. */
export const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * One documented response, in the shape zod-openapi's `createDocument` reads (schemas are zod).
 * Kept structural so this package does not need zod-openapi.
 */
export interface ResponseDoc {
  description: string;
  content?: Record<string, { schema: z.ZodType }>;
  headers?: z.ZodObject;
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  /** OpenAPI specification extensions, as the document's own types allow. */
  [extension: `x-${string}`]: unknown;
}

/** A documented JSON answer. */
export const jsonResponse = (schema: z.ZodType, description: string): ResponseDoc => ({
  description,
  content: { 'application/json': { schema } },
});

/** The media type of a Server-Sent Events stream. */
export const EVENT_STREAM = 'text/event-stream';

/**
 * A documented Server-Sent Events answer: `schema` describes one event (its `event`, `id` and
 * JSON `data` fields). A route answering it streams: its handler writes the response itself.
 */
export const eventStreamResponse = (schema: z.ZodType, description: string): ResponseDoc => ({
  description,
  content: { [EVENT_STREAM]: { schema } },
});

/** Whether a route's success answer is an event stream, which its handler writes itself. */
export function streamsEvents(route: Pick<Route<unknown, string>, 'responses'>): boolean {
  const success = route.responses[successStatusOf(route)];
  return success?.content?.[EVENT_STREAM] !== undefined;
}

/** A per-client limit in front of a route: the middleware that counts, and its 429 answer. */
export interface RateLimitTrait {
  /** The limiter's name, as in its `RateLimit-Policy` header; the key of `rateLimiters`. */
  name: string;
  /** The 429's description, e.g. "Too many previews by this user in the current minute". */
  description: string;
  /** For the headers' examples: the default limit per window, and the window in seconds. */
  example: { limit: number; windowSeconds: number };
}

/** Error statuses a handler answers itself, beyond those the route's traits imply. */
export type ExtraErrorStatus = 401 | 403 | 404 | 409 | 503;

/** Path parameters and query strings are objects of named values. */
export type ObjectSchema = z.ZodType<unknown, Record<string, unknown>>;

/**
 * Request headers a route reads, keyed by their documented names (`If-Match`): an object, so
 * `mountRoutes` knows which headers to read (case-insensitively) and the document lists each.
 */
export type HeaderSchema = z.ZodObject;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<Params, Query, Body, Headers = undefined> {
  params: Params;
  query: Query;
  body: Body;
  /** The declared headers only, under their declared names. */
  headers: Headers;
}

export interface RouteContext<Deps> {
  deps: Deps;
  req: Request;
  res: Response;
}

/**
 * An answer other than the route's documented success status (e.g. 503 from `/readyz`). A handler
 * returning anything else answers the success status with that value as the JSON body.
 */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export interface RouteDefinition<
  Deps,
  Scheme extends string,
  Params extends ObjectSchema | undefined,
  Query extends ObjectSchema | undefined,
  Body extends z.ZodType | undefined,
  Headers extends HeaderSchema | undefined = undefined,
> {
  method: HttpMethod;
  /** OpenAPI style, e.g. `/api/tasks/{id}`; Express gets `/api/tasks/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  /** `public`, or the security scheme a caller must satisfy (checked before anything else). */
  security: 'public' | Scheme;
  /**
   * Validated in this order; a failure is a 400 naming `params.x`, `query.x`, `headers.X` or a
   * bare body field. `headers` are documented as header parameters.
   */
  request?: { params?: Params; query?: Query; body?: Body; headers?: Headers };
  /** The documented answers; the first 2xx is the status a plain return value answers with. */
  responses: Record<string, ResponseDoc>;
  /** Error statuses the handler itself answers, each with what it means here (404, 409, …). */
  errors?: Partial<Record<ExtraErrorStatus, string>>;
  rateLimit?: RateLimitTrait;
  /** Route-specific middleware after security and rate limit (e.g. a body parser of its own). */
  use?: Array<RequestHandler | ErrorRequestHandler>;
  /** Method syntax on purpose: tables hold routes of different input types side by side. */
  handler(
    input: RouteInput<Out<Params>, Out<Query>, Out<Body>, Out<Headers>>,
    ctx: RouteContext<Deps>,
  ): unknown;
}

/** A route of some table, its input types erased. */
export type Route<Deps, Scheme extends string = 'bearer'> = RouteDefinition<
  Deps,
  Scheme,
  ObjectSchema | undefined,
  ObjectSchema | undefined,
  z.ZodType | undefined,
  HeaderSchema | undefined
>;

/**
 * `const route = routeFor<MyDeps>();` then `route({ ... })` for each entry of a table: the handler's
 * `params`, `query` and `body` are typed from the route's own schemas.
 */
export function routeFor<Deps, Scheme extends string = 'bearer'>() {
  return <
    Params extends ObjectSchema | undefined = undefined,
    Query extends ObjectSchema | undefined = undefined,
    Body extends z.ZodType | undefined = undefined,
    Headers extends HeaderSchema | undefined = undefined,
  >(
    definition: RouteDefinition<Deps, Scheme, Params, Query, Body, Headers>,
  ): Route<Deps, Scheme> => definition as unknown as Route<Deps, Scheme>;
}

/** `/api/tasks/{id}` → `/api/tasks/:id`. */
export const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** The status a handler's plain return value answers with: the route's first documented 2xx. */
export function successStatusOf(route: Pick<Route<unknown, string>, 'responses'>): number {
  const status = Object.keys(route.responses).find((key) => /^2\d\d$/.test(key));
  if (!status) throw new Error('a route documents no 2xx response');
  return Number(status);
}

/**
 * Orders paths so that a literal segment comes before a template at the same place
 * (`/api/tasks/stream` before `/api/tasks/{id}`): Express tries routes in order, so the template
 * would otherwise catch the literal path's requests.
 */
export function compareRoutePaths(a: string, b: string): number {
  // Each path as its shape, a template segment after a literal one: a total order, so sorting is
  // well defined; paths of one shape keep their table order (the sort is stable).
  const shape = (path: string) => path.split('/').map((segment) => segment.startsWith('{'));
  const as = shape(a);
  const bs = shape(b);
  for (let i = 0; i < Math.min(as.length, bs.length); i += 1) {
    if (as[i] !== bs[i]) return as[i] ? 1 : -1;
  }
  return as.length - bs.length;
}

/** The methods each path serves, paths in table order. */
export function methodsByPath(
  routes: ReadonlyArray<Pick<Route<unknown, string>, 'method' | 'path'>>,
): Map<string, HttpMethod[]> {
  const byPath = new Map<string, HttpMethod[]>();
  for (const { path, method } of routes) {
    const methods = byPath.get(path) ?? [];
    if (methods.includes(method))
      throw new Error(`${method.toUpperCase()} ${path} is declared twice`);
    byPath.set(path, [...methods, method]);
  }
  return byPath;
}

/** The `Allow` header of a path: its methods, HEAD where GET is served, and OPTIONS. */
export function allowHeader(methods: readonly string[]): string {
  const upper = methods.map((method) => method.toUpperCase());
  return [...new Set([...upper, ...(upper.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
}
