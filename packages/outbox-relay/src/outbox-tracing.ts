import { TASK_EVENTS_TOPIC } from '@todo/contracts';
import { contextOf, SpanKind, SpanStatusCode, traceparentOf, tracer } from '@todo/telemetry';
import type { EventTransport } from './outbox-message.js';

/**
 * The transport, traced: each event gets a PRODUCER span (`publish task-events`) continuing the
 * trace its outbox row kept, and is published with that span's `traceparent`, so daprd (or the
 * engine, with the direct transport) continues the trace under the publish. The span ends with
 * the transport's answer for its event. Without tracing the rows' own traceparents go out as
 * they are.
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
      try {
        const results = await transport.publish(traced);
        const byId = new Map(results.map((result) => [result.eventId, result]));
        spans.forEach((span, i) => {
          const result = byId.get(messages[i]!.eventId);
          if (result && !result.ok)
            span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
          span.end();
        });
        return results;
      } catch (error) {
        for (const span of spans) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          span.end();
        }
        throw error;
      }
    },
  };
}
