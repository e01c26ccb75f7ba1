import { z } from 'zod';
import { errorBodySchema } from '../error-body.js';
import {
  HTTP_METHODS,
  type HeaderSchema,
  type HttpMethod,
  type ObjectSchema,
  type RateLimitTrait,
  type ResponseDoc,
  type Route,
} from './route-table.js';

export interface SecuritySchemeDoc {
  /** The scheme's key under the document's `components.securitySchemes`. */
  id: string;
  /** What a 401 means on routes it protects. */
  unauthenticated: string;
}

/** An operation as zod-openapi's `createDocument` reads it (structurally). */
export interface OperationDoc {
  operationId: string;
  summary: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  requestParams?: { path?: ObjectSchema; query?: ObjectSchema; header?: HeaderSchema };
  requestBody?: { content: { 'application/json': { schema: z.ZodType } } };
  responses: Record<string, ResponseDoc>;
  [extension: `x-${string}`]: unknown;
}

export type PathsDoc = Record<
  string,
  Partial<Record<HttpMethod, OperationDoc>> & { [extension: `x-${string}`]: unknown }
>;

const errorResponse = (description: string): ResponseDoc => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

/** The IETF draft-8 headers every limited answer carries, and Retry-After on a 429. */
const rateLimitHeaders = ({ name, example }: RateLimitTrait) =>
  z.object({
    'Retry-After': z.string().meta({ description: 'Seconds until the window resets' }),
    RateLimit: z.string().meta({
      description: `Remaining requests and seconds to reset (IETF draft 8), e.g. \`"${name}"; r=0; t=42\``,
    }),
    'RateLimit-Policy': z.string().meta({
      description: `The limit and its window in seconds (IETF draft 8), e.g. \`"${name}"; q=${example.limit}; w=${example.windowSeconds}\``,
    }),
  });

/**
 * The error answers a route can give, derived from what it declares: 400 when it validates input,
 * 401 behind a security scheme, 413/415 when it reads a body, 429 behind a rate limit, 500
 * always, and the statuses its handler answers itself.
 */
export function errorResponsesOf<Scheme extends string>(
  route: Route<unknown, Scheme>,
  schemes: Record<Scheme, SecuritySchemeDoc>,
): Record<string, ResponseDoc> {
  const { params, query, body, headers } = route.request ?? {};
  const responses: Record<string, ResponseDoc> = {};
  if (params || query || body || headers) {
    responses[400] = errorResponse(
      body
        ? 'Invalid request: the body is not valid JSON, or `details` names each field at fault'
        : 'Invalid request: `details` names each field at fault',
    );
  }
  if (route.security !== 'public') {
    responses[401] = errorResponse(schemes[route.security].unauthenticated);
  }
  for (const [status, description] of Object.entries(route.errors ?? {})) {
    responses[status] = errorResponse(description);
  }
  if (body) {
    responses[413] = errorResponse('Request body over the size limit');
    responses[415] = errorResponse(
      'Request body not `application/json`, or in an unsupported Content-Encoding',
    );
  }
  if (route.rateLimit) {
    responses[429] = {
      ...errorResponse(route.rateLimit.description),
      headers: rateLimitHeaders(route.rateLimit),
    };
  }
  responses[500] = errorResponse('Unexpected fault; the body carries only an `error_id`');
  return responses;
}

function operationOf<Scheme extends string>(
  route: Route<unknown, Scheme>,
  schemes: Record<Scheme, SecuritySchemeDoc>,
): OperationDoc {
  const { params, query, body, headers } = route.request ?? {};
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    security: route.security === 'public' ? [] : [{ [schemes[route.security].id]: [] }],
    ...(params || query || headers
      ? {
          requestParams: {
            ...(params ? { path: params } : {}),
            ...(query ? { query } : {}),
            ...(headers ? { header: headers } : {}),
          },
        }
      : {}),
    ...(body ? { requestBody: { content: { 'application/json': { schema: body } } } } : {}),
    responses: { ...route.responses, ...errorResponsesOf(route, schemes) },
  };
}

/** The OpenAPI `paths` of a route table, for zod-openapi's `createDocument`. */
export function openApiPaths<Scheme extends string>(
  routes: ReadonlyArray<Route<never, Scheme>>,
  schemes: Record<Scheme, SecuritySchemeDoc>,
): PathsDoc {
  const paths: PathsDoc = {};
  for (const route of routes as ReadonlyArray<Route<unknown, Scheme>>) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) {
      throw new Error(`${route.method.toUpperCase()} ${route.path} is declared twice`);
    }
    item[route.method] = operationOf(route, schemes);
  }
  // Methods in a fixed order per path, whatever the table's order.
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(HTTP_METHODS.filter((m) => item[m]).map((m) => [m, item[m]])),
    ]),
  );
}
