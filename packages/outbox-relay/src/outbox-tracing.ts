import { TASK_EVENTS_TOPIC } from '@todo/contracts';
import {
  context,
  contextOf,
  SpanKind,
  SpanStatusCode,
  trace,
  traceparentOf,
  tracer,
  type Span,
} from '@todo/telemetry';
import type { EventTransport, OutboxMessage, PublishResult } from './outbox-message.js';

/** Whether a span is sampled: its trace is exported, so its publish is worth a call of its own. */
const sampled = (span: Span) => span.isRecording() && (span.spanContext().traceFlags & 1) === 1;

/**
 * Splits a claimed batch, in its order, into the transport calls to make: each sampled event
 * alone (its span active during the call), consecutive unsampled ones together. Publishing the
 * calls one after another keeps the batch's order, so one series' events still leave in order.
 */
function callsOf(messages: OutboxMessage[], spans: Span[]) {
  const calls: Array<{ from: number; to: number; span?: Span }> = [];
  messages.forEach((_, i) => {
    const last = calls.at(-1);
    if (sampled(spans[i]!)) calls.push({ from: i, to: i + 1, span: spans[i]! });
    else if (last && !last.span) last.to = i + 1;
    else calls.push({ from: i, to: i + 1 });
  });
  return calls;
}

/**
 * The transport, traced: each event gets a PRODUCER span (`publish task-events`) continuing the
 * trace its outbox row kept, and is published with that span's `traceparent`, so the engine
 * continues the trace under the publish.
 *
 * A sampled event is published in a call of its own with its span active, so the request the
 * transport makes carries the span's `traceparent` (the HTTP client instrumentation of
 * @todo/telemetry injects it into the Dapr SDK's request) and the sidecar's own spans join the
 * event's trace. Unsampled events (most of them, at 10% sampling) go out together in one call, as
 * without tracing: the cost of a whole trace is one transport call per sampled event. Each span
 * ends with the transport's answer for its event, an error status when it was refused. Without
 * tracing the rows' own traceparents go out as they are, in one call.
 */
export function traceTransport(transport: EventTransport): EventTransport {
  return {
    description: transport.description,
    async publish(messages) {
      const spans = messages.map((message) =>
        tracer().startSpan(
          `publish ${TASK_EVENTS_TOPIC}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.operation.type': 'send',
              'messaging.destination.name': TASK_EVENTS_TOPIC,
              'messaging.message.id': message.eventId,
              'messaging.kafka.message.key': message.aggregateId,
              'cloudevents.event_type': message.type,
            },
          },
          contextOf(message.traceparent),
        ),
      );
      const traced = messages.map((message, i) => {
        const traceparent = spans[i]!.isRecording() ? traceparentOf(spans[i]!) : undefined;
        return traceparent ? { ...message, traceparent } : message;
      });
      const results: PublishResult[] = [];
      try {
        for (const call of callsOf(messages, spans)) {
          const batch = traced.slice(call.from, call.to);
          results.push(
            ...(await (call.span
              ? context.with(trace.setSpan(context.active(), call.span), () =>
                  transport.publish(batch),
                )
              : transport.publish(batch))),
          );
        }
      } catch (error) {
        // The events after a thrown call were not tried; the relay counts the whole batch failed.
        for (const span of spans) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          span.end();
        }
        throw error;
      }
      const byId = new Map(results.map((result) => [result.eventId, result]));
      spans.forEach((span, i) => {
        const result = byId.get(messages[i]!.eventId);
        if (result && !result.ok)
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
        span.end();
      });
      return results;
    },
  };
}
