import type { Response } from 'express';
import { z } from 'zod';
import { ifNoneMatchMatches, jsonResponse, Reply, type ResponseDoc } from '@todo/service-runtime';
import { etagOf, StaleTaskError } from './task-preconditions.js';
import {
  preconditionFailedBodySchema,
  type PreconditionFailedBody,
  type TaskResponse,
} from './task.schemas.js';

/** The header every task answer carries, documented on each. */
export const etagHeaderSchema = z.object({
  ETag: z.string().meta({
    description:
      'The task’s strong validator, `"v<version>"`: send it as `If-Match` to change the task only if nobody else has, or as `If-None-Match` to revalidate a copy',
    example: '"v3"',
  }),
});

export const PRECONDITION_FAILED_RESPONSE: ResponseDoc = jsonResponse(
  preconditionFailedBodySchema,
  'The task changed since the `If-Match` validator was issued (or it names none of its states): nothing was changed; `current` is the task as it is now',
);

export const NOT_MODIFIED_RESPONSE: ResponseDoc = {
  description: 'The task is still in a state `If-None-Match` names; no body',
  headers: etagHeaderSchema,
};

/** The task, its ETag set on the answer. */
export function withEtag(res: Response, task: TaskResponse): TaskResponse {
  // Set before Express sends the body, so it never adds its own weak, content-hashed ETag.
  res.set('ETag', etagOf(task));
  return task;
}

/** A write's answer: the task with its new ETag, or 412 with the task as it is now. */
export async function answerWrite(
  res: Response,
  write: Promise<TaskResponse | void>,
): Promise<TaskResponse | void | Reply> {
  try {
    const task = await write;
    return task && withEtag(res, task);
  } catch (error) {
    if (!(error instanceof StaleTaskError)) throw error;
    const body: PreconditionFailedBody = {
      error: {
        code: 'precondition_failed',
        message: 'the task changed since the If-Match validator was issued',
      },
      current: withEtag(res, error.current),
    };
    return new Reply(412, body);
  }
}

/** A read's answer: 304 when the caller's copy is current, else the task with its ETag. */
export function answerRead(
  res: Response,
  task: TaskResponse,
  ifNoneMatch: string | undefined,
): TaskResponse | Reply {
  withEtag(res, task);
  return ifNoneMatchMatches(ifNoneMatch, etagOf(task)) ? new Reply(304) : task;
}
