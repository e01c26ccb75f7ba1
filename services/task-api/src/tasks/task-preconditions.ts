import { ifMatchPasses, strongEntityTag } from '@todo/service-runtime';
import type { TaskResponse } from './task.schemas.js';

/**
 * A task's strong entity tag: its version, which the database bumps on every UPDATE of the row
 * (packages/db migration 0013), so every replica gives a state the same tag.
 */
export const etagOfVersion = (version: number): string => strongEntityTag(`v${version}`);

/** The ETag of a task answer. */
export const etagOf = (task: Pick<TaskResponse, 'version'>): string => etagOfVersion(task.version);

/** What a conditional write requires of the task's version before it changes anything. */
export type VersionPrecondition = (version: number) => boolean;

/** `If-Match` as a condition on the version; none when the header is absent (unconditional). */
export function ifMatchCondition(ifMatch: string | undefined): VersionPrecondition | undefined {
  return ifMatch === undefined
    ? undefined
    : (version) => ifMatchPasses(ifMatch, etagOfVersion(version));
}

/** A conditional write found the task in another state: nothing was changed. */
export class StaleTaskError extends Error {
  constructor(readonly current: TaskResponse) {
    super(`task ${current.id} is at version ${current.version}`);
    this.name = 'StaleTaskError';
  }
}
