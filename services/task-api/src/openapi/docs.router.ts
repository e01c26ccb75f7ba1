import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { methodNotAllowed } from '@todo/service-runtime';
import { buildOpenApiDocument } from './openapi-document.js';

/** `/openapi.json` and a Swagger UI page at `/docs`, served from local assets (no CDN). */
export function docsRouter(): Router {
  const document = buildOpenApiDocument();
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.all('/openapi.json', methodNotAllowed(['GET']));
  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' } }),
  );
  return router;
}
