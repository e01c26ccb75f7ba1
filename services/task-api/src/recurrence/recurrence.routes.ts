import { jsonResponse } from '@todo/service-runtime';
import { route } from '../api-route.js';
import { RATE_LIMITS } from '../rate-limit/limited-routes.js';
import { previewQuerySchema, previewResponseSchema } from './recurrence.schemas.js';

export const RECURRENCE_ROUTES = [
  route({
    method: 'get',
    path: '/api/recurrence/preview',
    operationId: 'previewRecurrence',
    summary: 'The next occurrences and a description of a rule, before saving it',
    tags: ['recurrence'],
    security: 'bearer',
    rateLimit: RATE_LIMITS.preview,
    request: { query: previewQuerySchema },
    responses: { 200: jsonResponse(previewResponseSchema, 'Preview') },
    handler: ({ query }, { deps, res }) => deps.preview.previewRecurrence(res.locals.userId, query),
  }),
];
