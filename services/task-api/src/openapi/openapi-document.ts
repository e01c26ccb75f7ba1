import { HEALTH_ROUTES, openApiPaths } from '@todo/service-runtime';
import { createDocument } from 'zod-openapi';
import { SECURITY_SCHEMES } from '../api-route.js';
import { API_ROUTES, OPENAPI_ROUTES } from '../routes.js';

/** The OpenAPI 3.1 document, derived from the route table that serves the API. */
export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Todo task-api',
      version: '1.0.0',
      description:
        'Accounts and tasks for the todo frontend. Task changes are published as events.',
    },
    // Relative: the API is documented wherever it is served from.
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        [SECURITY_SCHEMES.bearer.id]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    paths: openApiPaths([...API_ROUTES, ...HEALTH_ROUTES, ...OPENAPI_ROUTES], SECURITY_SCHEMES),
  });
}
