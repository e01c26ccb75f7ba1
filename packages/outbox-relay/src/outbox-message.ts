/** An outbox row as the relay hands it to a transport. */
export interface OutboxMessage {
  eventId: string;
  producer: string;
  /** The series id: the Kafka partition key. */
  aggregateId: string;
  type: string;
  payload: unknown;
  traceparent: string | null;
  createdAt: Date;
}

export type PublishResult =
  { eventId: string; ok: true } | { eventId: string; ok: false; error: string };

/**
 * The last step of publishing, the only part the transports do not share: through the Dapr
 * sidecar to Kafka, or straight to the engine when no sidecar runs.
 */
export interface EventTransport {
  /** For the start-up log line. */
  readonly description: string;
  /** One result per message; never throws for a message that was not delivered. */
  publish(messages: OutboxMessage[]): Promise<PublishResult[]>;
}

export const errorText = (error: unknown): string =>
  error instanceof Error
    ? error.message
    : typeof error === 'string'
      ? error
      : JSON.stringify(error);
