/**
 * Dapr's pub/sub subscriber contract (HTTP): a subscriber answers 200 with one of these statuses,
 * and whatever delivers events (the engine's route, the relay's direct transport standing in for
 * Dapr) must read them as Dapr does.
 * - SUCCESS: processed (or nothing to do); the message is acknowledged.
 * - RETRY: a transient fault (e.g. the database is down); Dapr redelivers per its resiliency policy.
 * - DROP: the message can never be processed; Dapr logs it and sends it to the dead-letter topic.
 * A 404 also means drop to Dapr, silently, so a known route never answers 404.
 */
export const DAPR_STATUS = { success: 'SUCCESS', retry: 'RETRY', drop: 'DROP' } as const;
export type DaprStatus = (typeof DAPR_STATUS)[keyof typeof DAPR_STATUS];
