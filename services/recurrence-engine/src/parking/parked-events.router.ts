import { Router } from 'express';
import { methodNotAllowed } from '@todo/service-runtime';
import type { DeliveryLedger } from './delivery-ledger.js';

/**
 * `GET /parked`: how many events the engine has parked, and the latest ones (id, type, reason,
 * attempts, last error, when), for operators and alerts. Re-driving is the `redrive` command's.
 */
export function parkedEventsRouter(ledger: DeliveryLedger): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const { count, latest } = await ledger.parkedOverview();
    res.json({
      count,
      latest: latest.map((event) => ({
        event_id: event.eventId,
        type: event.type,
        reason: event.reason,
        attempts: event.attempts,
        last_error: event.lastError,
        parked_at: event.parkedAt.toISOString(),
      })),
    });
  });
  router.all('/', methodNotAllowed(['GET']));
  return router;
}
