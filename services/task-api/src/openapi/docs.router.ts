import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

/**
 * A Swagger UI page at `/docs`, served from local assets (no CDN), reading `/openapi.json` (a route
 * of the table, openapi.routes.ts). HTML for people, so not an operation of the document.
 */
export function docsRouter(): Router {
  return Router().use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' } }),
  );
}
