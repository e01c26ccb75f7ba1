import { z } from 'zod';
import { PARK_REASONS } from '@todo/db';
import { jsonResponse } from '@todo/service-runtime';
import { route } from '../engine-route.js';

const parkedOverviewSchema = z.object({
  count: z.number().int(),
  latest: z.array(
    z.object({
      event_id: z.string(),
      type: z.string(),
      reason: z.enum(PARK_REASONS),
      attempts: z.number().int(),
      last_error: z.string(),
      parked_at: z.iso.datetime(),
    }),
  ),
});

export const PARKED_EVENTS_ROUTES = [
  route({
    method: 'get',
    path: '/parked',
    operationId: 'listParkedEvents',
    summary:
      'How many events are parked, and the latest ones, for operators and alerts (re-driving is the `redrive` command’s)',
    tags: ['parking'],
    security: 'appToken',
    responses: {
      200: jsonResponse(parkedOverviewSchema, 'Parked events: the count and the latest'),
    },
    handler: async (_input, { deps }): Promise<z.output<typeof parkedOverviewSchema>> => {
      const { count, latest } = await deps.ledger.parkedOverview();
      return {
        count,
        latest: latest.map((event) => ({
          event_id: event.eventId,
          type: event.type,
          reason: event.reason,
          attempts: event.attempts,
          last_error: event.lastError,
          parked_at: event.parkedAt.toISOString(),
        })),
      };
    },
  }),
];
