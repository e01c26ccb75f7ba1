import type { components } from './generated/task-api.js';

/** Names for the document's schemas a caller handles most. */
export type Schemas = components['schemas'];
export type Task = Schemas['Task'];
/** A task as a live-stream change carries it: a `Task` whose `version` may be absent. */
export type StreamedTask = Schemas['TaskStreamTask'];
export type TaskList = Schemas['TaskList'];
export type CreateTaskRequest = Schemas['CreateTaskRequest'];
export type ApiError = Schemas['Error'];
export type TokenResponse = Schemas['TokenResponse'];
export type RefreshResponse = Schemas['RefreshResponse'];
export type TaskStreamEvent = Schemas['TaskStreamEvent'];
