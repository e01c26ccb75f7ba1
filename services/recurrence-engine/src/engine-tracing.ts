import { TASK_EVENTS_TOPIC } from '@todo/contracts';
import {
  activeTraceparent,
  context,
  contextOf,
  SpanKind,
  SpanStatusCode,
  tracer,
} from '@todo/telemetry';
import type { EventDelivery } from './subscription/deliver-event.js';

const attribute = (body: unknown, name: string) => {
  const value =
    body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};

const traceIdOf = (traceparent: string) => traceparent.split('-')[1];

/**
 * The engine's delivery in a CONSUMER span (`process task-events`): a child of the request's
 * span, which continues the deliverer's `traceparent` header (daprd's span, or the relay's publish
 * span with the direct transport, both in the event's trace), or, when the request carried none,
 * of the CloudEvent's own `traceparent`. The events the handling writes continue it (create-next-occurrence.ts).
 */
export function traceDelivery(deliver: EventDelivery): EventDelivery {
  return (body, log, mode) => {
    // The request's span continues the deliverer's header when there was one, which is then in the
    // event's own trace; a request without one started a trace of its own, and the event's wins.
    const carried = attribute(body, 'traceparent');
    const active = activeTraceparent();
    const parent =
      active && (!carried || traceIdOf(carried) === traceIdOf(active))
        ? context.active()
        : contextOf(carried);
    return tracer().startActiveSpan(
      `process ${TASK_EVENTS_TOPIC}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': TASK_EVENTS_TOPIC,
          ...(attribute(body, 'id') ? { 'messaging.message.id': attribute(body, 'id') } : {}),
          ...(attribute(body, 'type') ? { 'cloudevents.event_type': attribute(body, 'type') } : {}),
        },
      },
      parent,
      async (span) => {
        try {
          const result = await deliver(body, log, mode);
          span.setAttribute('todo.delivery.outcome', result.outcome);
          if (result.status !== 'SUCCESS')
            span.setStatus({ code: SpanStatusCode.ERROR, message: result.status });
          return result;
        } finally {
          span.end();
        }
      },
    );
  };
}
