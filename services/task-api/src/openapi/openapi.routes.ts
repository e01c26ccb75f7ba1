import { z } from 'zod';
import { jsonResponse } from '@todo/service-runtime';
import { route } from '../api-route.js';

/** `/openapi.json`, served only when docs are enabled (DOCS_ENABLED); `/docs` is its UI. */
export const OPENAPI_ROUTES = [
  route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document (when docs are enabled)',
    tags: ['docs'],
    security: 'public',
    responses: {
      200: jsonResponse(z.looseObject({ openapi: z.literal('3.1.0') }), 'The OpenAPI document'),
    },
    handler: (_input, { deps }) => deps.openApiDocument(),
  }),
];
