// Only the HTTP client and its pub/sub part, never the package root: `@dapr/dapr` loads the whole
// SDK (gRPC, protobuf, express, workflow; about 500 modules and 25-50 MiB RSS) for the one call
// made here. The package has no `exports` map, so these paths resolve; the root is kept out by
// infra/pnpm-patches/@dapr__dapr@3.18.0.patch (README, "The Dapr SDK is patched").
import httpClientModule from '@dapr/dapr/implementation/Client/HTTPClient/HTTPClient.js';
import httpPubSubModule from '@dapr/dapr/implementation/Client/HTTPClient/pubsub.js';
import { LogLevel } from '@dapr/dapr/types/logger/LogLevel.js';
import type { LoggerService } from '@dapr/dapr/types/logger/LoggerService.js';
import type { PubSubBulkPublishResponse } from '@dapr/dapr/types/pubsub/PubSubBulkPublishResponse.type.js';
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
  /**
   * Give up on a publish call after this long. While the broker is unreachable the sidecar can
   * hold a publish open indefinitely, and the SDK sets no timeout of its own; the rows stay
   * unpublished and are retried (a publish that completes after all is deduplicated downstream
   * by its event id).
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

// Every failure publishBulk sees comes back in its result, lands on the row (`last_error`) and in
// the relay's own log; the SDK would also print each one to the console, outside the service's
// structured log.
const quiet: LoggerService = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  verbose: () => undefined,
  debug: () => undefined,
};

/**
 * Publishes through the service's Dapr sidecar with the bulk publish API (Dapr's single-message
 * publish to Kafka is several times slower). Each entry carries the outbox event id as its
 * CloudEvent id, so redeliveries dedupe downstream, and the series id as the Kafka partition key,
 * so one series is consumed in order.
 *
 * publishBulk reads daprd's per-entry failures only with the SDK patched (see
 * pnpm-workspace.yaml, dapr/js-sdk#703); test/dapr-transport.test.ts fails without the patch.
 */
export function createDaprTransport(options: DaprTransportOptions): EventTransport {
  const pubsub = new httpPubSubModule.default(
    new httpClientModule.default({
      daprHost: options.host,
      daprPort: String(options.httpPort),
      ...(options.apiToken ? { daprApiToken: options.apiToken } : {}),
      logger: { level: LogLevel.Error, service: quiet },
    }),
  );

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
      let response: PubSubBulkPublishResponse;
      try {
        // The SDK waits for the sidecar to start on first use and lists every entry as failed
        // when the whole request fails; only the timeout rejects.
        response = await withTimeout(
          pubsub.publishBulk(PUBSUB_NAME, TASK_EVENTS_TOPIC, entries),
          options.timeoutMs ?? 15_000,
        );
      } catch (error) {
        return messages.map((message) => ({
          eventId: message.eventId,
          ok: false,
          error: errorText(error),
        }));
      }
      const failed = new Map(
        response.failedMessages.map((entry) => [
          entry.message.entryID,
          errorText(entry.error) || 'publish failed',
        ]),
      );
      return messages.map((message): PublishResult => {
        const reason = failed.get(message.eventId);
        return reason === undefined
          ? { eventId: message.eventId, ok: true }
          : { eventId: message.eventId, ok: false, error: reason };
      });
    },
  };
}
