import { TASK_EVENTS_TOPIC } from '@todo/contracts';
import {
  activeTraceparent,
  context,
  contextOf,
  SpanKind,
  SpanStatusCode,
  trace,
  tracer,
  type Span,
} from '@todo/telemetry';
import type { DeliveryOutcome, EventDelivery } from './subscription/deliver-event.js';

const attribute = (body: unknown, name: string) => {
  const value =
    body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};

const traceIdOf = (traceparent: string) => traceparent.split('-')[1];

/**
 * Starts the CONSUMER span (`process task-events`) of one delivered event, not made active: a
 * child of the request's span, which continues the deliverer's `traceparent` header (daprd's
 * span, or the relay's publish span with the direct transport, both in the event's trace), or,
 * when the request carried none or one of another trace (a bulk request carries the header of
 * one entry), of the CloudEvent's own `traceparent`.
 */
export function startConsumerSpan(body: unknown): Span {
  // The request's span continues the deliverer's header when there was one, which is then in the
  // event's own trace; a request without one started a trace of its own, and the event's wins.
  const carried = attribute(body, 'traceparent');
  const active = activeTraceparent();
  const parent =
    active && (!carried || traceIdOf(carried) === traceIdOf(active))
      ? context.active()
      : contextOf(carried);
  return tracer().startSpan(
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
  );
}

/** Ends a {@link startConsumerSpan} span with the delivery's outcome. */
export function endConsumerSpan(span: Span, result: DeliveryOutcome): void {
  span.setAttribute('todo.delivery.outcome', result.outcome);
  if (result.status !== 'SUCCESS')
    span.setStatus({ code: SpanStatusCode.ERROR, message: result.status });
  span.end();
}

/** Runs `fn` with `span` as the active span (the spans `fn` starts are its children). */
export const withinSpan = <T>(span: Span, fn: () => T): T =>
  context.with(trace.setSpan(context.active(), span), fn);

/**
 * The engine's delivery in a CONSUMER span ({@link startConsumerSpan}). The events the handling
 * writes continue it (create-next-occurrence.ts).
 */
export function traceDelivery(deliver: EventDelivery): EventDelivery {
  return (body, log, mode) => {
    const span = startConsumerSpan(body);
    return withinSpan(span, async () => {
      try {
        const result = await deliver(body, log, mode);
        endConsumerSpan(span, result);
        return result;
      } catch (error) {
        span.end();
        throw error;
      }
    });
  };
}
