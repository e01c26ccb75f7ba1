import type { components } from './generated/task-api.js';

/** Names for the document's schemas a caller handles most. */
export type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type TaskList = Schemas['TaskList'];
export type CreateTaskRequest = Schemas['CreateTaskRequest'];
export type ApiError = Schemas['Error'];
export type TokenResponse = Schemas['TokenResponse'];
export type RefreshResponse = Schemas['RefreshResponse'];
export type TaskStreamEvent = Schemas['TaskStreamEvent'];
