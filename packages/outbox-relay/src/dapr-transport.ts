import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import { PUBSUB_NAME, TASK_EVENTS_TOPIC } from '@todo/contracts';
import { failedBulkEntries } from './bulk-publish-failures.js';
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
  /**
   * Give up on a publish call after this long. While the broker is unreachable the sidecar can
   * hold a publish open indefinitely; the rows stay unpublished and are retried (a publish that
   * completes after all is deduplicated downstream by its event id).
   */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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

  const http = client.daprClient as unknown as {
    executeWithApiVersion(version: string, url: string, params: object): Promise<unknown>;
  };

  return {
    description: `dapr (sidecar ${options.host}:${options.httpPort}, pubsub ${PUBSUB_NAME}, topic ${TASK_EVENTS_TOPIC})`,
    async publish(messages: OutboxMessage[]): Promise<PublishResult[]> {
      const entries = messages.map((message) => ({
        entryId: message.eventId,
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
        // The SDK's own HTTP client (sidecar address, API token, start-up wait) on the endpoint
        // publishBulk uses; the result is read here, entry by entry (see bulk-publish-failures.ts).
        await withTimeout(
          http.executeWithApiVersion(
            'v1.0-alpha1',
            `/publish/bulk/${PUBSUB_NAME}/${TASK_EVENTS_TOPIC}`,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: entries,
            },
          ),
          options.timeoutMs ?? 15_000,
        );
        return messages.map((message) => ({ eventId: message.eventId, ok: true }));
      } catch (error) {
        const failed = failedBulkEntries(error);
        return messages.map((message): PublishResult => {
          // Without a per-entry list the whole request failed: nothing counts as published.
          const reason = failed ? failed.get(message.eventId) : errorText(error);
          return reason === undefined
            ? { eventId: message.eventId, ok: true }
            : { eventId: message.eventId, ok: false, error: reason };
        });
      }
    },
  };
}
