import { DAPR_STATUS } from '@todo/contracts';
import { Counter, Gauge, Histogram, registered, type Registry } from '@todo/telemetry';
import type { DeliveryLedger } from './parking/delivery-ledger.js';
import type { DeliveryOutcome, EventDelivery } from './subscription/deliver-event.js';

/**
 * What happened to a delivered event, as operators alert on it: acknowledged (`success`), asked
 * again (`retry`), dropped to Dapr's dead-letter topic (`drop`), or parked after using up its
 * attempts and acknowledged so the partition moves on (`dead_lettered`).
 */
export const EVENT_OUTCOMES = ['success', 'retry', 'drop', 'dead_lettered'] as const;

/** Recurrence lag objective: 5 s, with buckets around it and up to an outage's scale. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

const completedAtOf = (body: unknown): string | undefined => {
  const data = (body as { data?: { completed_at?: unknown } } | undefined)?.data;
  return typeof data?.completed_at === 'string' ? data.completed_at : undefined;
};

/** Records one delivery's answer (and, for a child created, the recurrence lag). */
export type DeliveryObserver = (result: DeliveryOutcome, body: unknown) => void;

/**
 * Counts deliveries into `registry`: `recurrence_engine_events_handled_total` by outcome, and
 * `recurrence_lag_seconds`, from the parent's completion (the event's `completed_at`) to the
 * commit of its next occurrence; call it once the child's transaction has committed.
 */
export function deliveryObserver(
  registry: Registry,
  now: () => number = Date.now,
): DeliveryObserver {
  const handled = registered(registry, 'recurrence_engine_events_handled_total', () => {
    const counter = new Counter({
      name: 'recurrence_engine_events_handled_total',
      help: 'Events delivered to the recurrence engine, by what it answered.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    // Every outcome has a series from the start, so rate() sees its first event.
    for (const outcome of EVENT_OUTCOMES) counter.inc({ outcome }, 0);
    return counter;
  });
  const lag = registered(
    registry,
    'recurrence_lag_seconds',
    () =>
      new Histogram({
        name: 'recurrence_lag_seconds',
        help: "Seconds from a recurring task's completion to the commit of its next occurrence.",
        buckets: LAG_BUCKETS,
        registers: [registry],
      }),
  );

  return (result, body) => {
    handled.inc({
      outcome:
        result.status === DAPR_STATUS.retry
          ? 'retry'
          : result.status === DAPR_STATUS.drop
            ? 'drop'
            : result.outcome === 'parked'
              ? 'dead_lettered'
              : 'success',
    });
    const completedAt = completedAtOf(body);
    if (result.outcome === 'child_created' && completedAt) {
      lag.observe(Math.max(0, (now() - Date.parse(completedAt)) / 1000));
    }
  };
}

/** The engine's delivery, counted by {@link deliveryObserver}. */
export function instrumentDelivery(
  deliver: EventDelivery,
  registry: Registry,
  now: () => number = Date.now,
): EventDelivery {
  const observe = deliveryObserver(registry, now);
  return async (body, log, mode) => {
    const result = await deliver(body, log, mode);
    observe(result, body);
    return result;
  };
}

/**
 * `recurrence_engine_parked_events`: events waiting for an operator (`parked_events`, the figure
 * `/readyz` shows), counted when Prometheus scrapes; no sample while the database does not answer.
 */
export function registerParkedEvents(ledger: DeliveryLedger, registry: Registry): void {
  registered(
    registry,
    'recurrence_engine_parked_events',
    () =>
      new Gauge({
        name: 'recurrence_engine_parked_events',
        help: 'Events the engine parked that wait for an operator to re-drive them.',
        labelNames: ['consumer'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          const count = await ledger.countParked().catch(() => undefined);
          if (count !== undefined) this.set({ consumer: 'recurrence-engine' }, count);
        },
      }),
  );
}
