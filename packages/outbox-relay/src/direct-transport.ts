import {
  DAPR_STATUS,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import {
  errorText,
  type EventTransport,
  type OutboxMessage,
  type PublishResult,
} from './outbox-message.js';

export interface DirectTransportOptions {
  /** Base URL of the recurrence engine, e.g. http://127.0.0.1:8081. */
  engineUrl: string;
  source: string;
  /** The engine's APP_API_TOKEN, sent as Dapr would send it. */
  appToken?: string | undefined;
  timeoutMs?: number;
}

/**
 * Stands in for Dapr and Kafka when no sidecar runs (`pnpm dev`): delivers each event to the
 * engine's subscription route exactly as a sidecar would, CloudEvent envelope and app token
 * included, so recurrence works with no setup. Only a SUCCESS or DROP answer counts as delivered,
 * as with Dapr.
 */
export function createDirectTransport(options: DirectTransportOptions): EventTransport {
  const url = new URL(RECURRENCE_ENGINE_EVENTS_ROUTE, options.engineUrl).toString();
  return {
    description: `direct (no sidecar: HTTP to ${url})`,
    async publish(messages: OutboxMessage[]): Promise<PublishResult[]> {
      const results: PublishResult[] = [];
      for (const message of messages) {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/cloudevents+json',
              ...(options.appToken ? { 'dapr-api-token': options.appToken } : {}),
              ...(message.traceparent ? { traceparent: message.traceparent } : {}),
            },
            body: JSON.stringify(
              toDeliveredCloudEvent({
                id: message.eventId,
                source: options.source,
                type: message.type,
                data: message.payload,
                time: message.createdAt.toISOString(),
                traceparent: message.traceparent,
              }),
            ),
            signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          });
          const body = (await response.json().catch(() => ({}))) as { status?: string };
          const delivered =
            response.ok &&
            (body.status === DAPR_STATUS.success || body.status === DAPR_STATUS.drop);
          results.push(
            delivered
              ? { eventId: message.eventId, ok: true }
              : {
                  eventId: message.eventId,
                  ok: false,
                  error: `engine answered ${response.status} ${body.status ?? ''}`.trim(),
                },
          );
        } catch (error) {
          results.push({ eventId: message.eventId, ok: false, error: errorText(error) });
        }
      }
      return results;
    },
  };
}
