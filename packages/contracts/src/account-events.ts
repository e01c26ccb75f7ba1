/**
 * The `task_changes.type` task-api writes when an account is deleted, in the transaction that
 * deletes it: the live stream closes that user's open streams on it. Not a Kafka event: nothing
 * outside task-api consumes it.
 */
export const ACCOUNT_DELETED_CHANGE = 'account.deleted';
