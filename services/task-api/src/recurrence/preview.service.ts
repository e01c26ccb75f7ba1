import { previewRule } from '@todo/recurrence';
import type { Executor } from '@todo/db';
import { userTimezone } from '../users/user-timezone.js';
import { ruleErrorToAppError } from './rule-errors.js';
import type { PreviewQuery, PreviewResponse } from './recurrence.schemas.js';

/** What a rule means before a frontend saves it, in the zone the request names or the caller's. */
export function createPreviewService(db: Executor) {
  return {
    async previewRecurrence(userId: string, query: PreviewQuery): Promise<PreviewResponse> {
      const timezone = query.tz ?? (await userTimezone(db, userId));
      try {
        const preview = previewRule({
          rrule: query.rrule,
          start: query.start,
          timezone,
          count: query.count,
        });
        return { ...preview, timezone };
      } catch (error) {
        throw ruleErrorToAppError(error, {
          rrule: 'query.rrule',
          timezone: 'query.tz',
          start: 'query.start',
        });
      }
    },
  };
}

export type PreviewService = ReturnType<typeof createPreviewService>;
