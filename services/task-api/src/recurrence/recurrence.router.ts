import { Router } from 'express';
import { previewRule } from '@todo/recurrence';
import { methodNotAllowed, parseInput } from '@todo/service-runtime';
import type { UsersRepository } from '../auth/users.repository.js';
import { ruleErrorToAppError } from './rule-errors.js';
import { previewQuerySchema, type PreviewResponse } from './recurrence.schemas.js';

/** `GET /api/recurrence/preview`: what a rule means, before a frontend saves it. */
export function recurrenceRouter(users: UsersRepository): Router {
  const router = Router();
  router.get('/preview', async (req, res) => {
    const query = parseInput(previewQuerySchema, req.query, 'query');
    const timezone = query.tz ?? (await users.findById(res.locals.userId))?.timezone ?? 'UTC';
    try {
      const preview = previewRule({
        rrule: query.rrule,
        start: query.start,
        timezone,
        count: query.count,
      });
      const body: PreviewResponse = { ...preview, timezone };
      res.json(body);
    } catch (error) {
      throw ruleErrorToAppError(error, {
        rrule: 'query.rrule',
        timezone: 'query.tz',
        start: 'query.start',
      });
    }
  });
  router.all('/preview', methodNotAllowed(['GET']));
  return router;
}
