/**
 * Names that two or more deployables must agree on. Nothing else in the repository spells these
 * strings: services import them, and infra/ is checked against them by a consistency test.
 */

/** Dapr pub/sub component that fronts Kafka (Redpanda in Kubernetes). */
export const PUBSUB_NAME = 'kafka-pubsub';

/** The one topic every task lifecycle event goes to. */
export const TASK_EVENTS_TOPIC = 'task-events';

/** Where Dapr sends task events the engine can never process (answered DROP or out of retries). */
export const TASK_EVENTS_DEAD_LETTER_TOPIC = 'task-events-dead-letter';

/** The recurrence engine's HTTP route that Dapr delivers `task-events` to. */
export const RECURRENCE_ENGINE_EVENTS_ROUTE = '/dapr/task-events';

/**
 * The CloudEvent type of a bulk delivery: with `bulkSubscribe` on, daprd POSTs a batch of
 * `task-events` entries in one envelope of this type, to the same route, and expects one status per
 * entry (`{"statuses":[{entryId,status}]}`).
 */
export const DAPR_BULK_DELIVERY_TYPE = 'com.dapr.event.sent.bulk';

/**
 * The most entries the recurrence engine handles in one bulk delivery (it answers RETRY past
 * them): the engine's Subscription must not ask daprd for more (`bulkSubscribe.maxMessagesCount`).
 */
export const RECURRENCE_ENGINE_MAX_BULK_ENTRIES = 200;

/** Dapr app ids; Dapr's Kafka consumer group defaults to the app id. */
export const APP_IDS = {
  taskApi: 'task-api',
  recurrenceEngine: 'recurrence-engine',
} as const;

/** CloudEvent `source` each service stamps on the events it publishes. */
export const EVENT_SOURCES = {
  taskApi: `urn:todo:${APP_IDS.taskApi}`,
  recurrenceEngine: `urn:todo:${APP_IDS.recurrenceEngine}`,
} as const;
