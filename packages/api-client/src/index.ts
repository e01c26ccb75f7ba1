/**
 * task-api's typed client for browsers and Node: the generated types, an openapi-fetch client
 * with bearer auth and token refresh, and the live task stream.
 */
export type { paths, components, operations } from './generated/task-api.js';
export type * from './types.js';
export {
  createTaskApiClient,
  type TaskApiClient,
  type TaskApiConnection,
} from './create-task-api-client.js';
export type { AccessTokenSource } from './bearer-auth.js';
export { createSession, type Session, type SessionOptions, type SessionTokens } from './session.js';
export { SignedOutError } from './signed-out-error.js';
export type { RefreshAccessToken } from './token-refresh.js';
export { streamTaskChanges, type StreamTaskChangesOptions } from './task-stream.js';
export { allTasks, taskPages, TaskListError, type TaskPagesQuery } from './task-pages.js';
export {
  deleteTask,
  etagOf,
  replaceTask,
  setTaskDone,
  TaskWriteError,
  updateTask,
  type SeenTask,
  type TaskWriteResult,
} from './task-writes.js';
