import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import { PUBSUB_NAME, TASK_EVENTS_TOPIC } from '@todo/contracts';
import {
  errorText,
  type EventTransport,
  type OutboxMessage,
  type PublishResult,
} from './outbox-message.js';

export interface DaprTransportOptions {
  /** The service's own sidecar. */
  host: string;
  httpPort: number;
  /** CloudEvent `source` of this service's events. */
  source: string;
  /** The sidecar's DAPR_API_TOKEN, if it requires one. */
  apiToken?: string | undefined;
}

/**
 * Publishes through the service's Dapr sidecar with the bulk publish API (Dapr's single-message
 * publish to Kafka is several times slower). Each entry carries the outbox event id as its
 * CloudEvent id, so redeliveries dedupe downstream, and the series id as the Kafka partition key,
 * so one series is consumed in order.
 */
export function createDaprTransport(options: DaprTransportOptions): EventTransport {
  const client = new DaprClient({
    daprHost: options.host,
    daprPort: String(options.httpPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    ...(options.apiToken ? { daprApiToken: options.apiToken } : {}),
    logger: { level: LogLevel.Error },
  });

  return {
    description: `dapr (sidecar ${options.host}:${options.httpPort}, pubsub ${PUBSUB_NAME}, topic ${TASK_EVENTS_TOPIC})`,
    async publish(messages: OutboxMessage[]): Promise<PublishResult[]> {
      const entries = messages.map((message) => ({
        entryID: message.eventId,
        event: message.payload as object,
        contentType: 'application/json',
        metadata: {
          'cloudevent.id': message.eventId,
          'cloudevent.type': message.type,
          'cloudevent.source': options.source,
          partitionKey: message.aggregateId,
          ...(message.traceparent ? { 'cloudevent.traceparent': message.traceparent } : {}),
        },
      }));
      try {
        // The SDK reports failures in `failedMessages` rather than throwing; check every entry
        // (dapr/js-sdk#703: a failed bulk publish must not be taken for a success).
        const response = await client.pubsub.publishBulk(PUBSUB_NAME, TASK_EVENTS_TOPIC, entries);
        const failed = new Map(
          response.failedMessages.map((f) => [f.message.entryID, errorText(f.error)]),
        );
        return messages.map((message) => {
          const error = failed.get(message.eventId);
          return error === undefined
            ? { eventId: message.eventId, ok: true }
            : { eventId: message.eventId, ok: false, error };
        });
      } catch (error) {
        return messages.map((message) => ({
          eventId: message.eventId,
          ok: false,
          error: errorText(error),
        }));
      }
    },
  };
}
