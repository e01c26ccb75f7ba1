import type { Response } from 'express';
import { jsonResponse } from '@todo/service-runtime';
import {
  answerRead,
  answerWrite,
  etagHeaderSchema,
  NOT_MODIFIED_RESPONSE,
  PRECONDITION_FAILED_RESPONSE,
  withEtag,
} from './conditional-answers.js';
import { ifMatchCondition } from './task-preconditions.js';
import { route } from '../api-route.js';
import { RATE_LIMITS } from '../rate-limit/limited-routes.js';
import {
  createTaskBodySchema,
  ifMatchHeadersSchema,
  ifNoneMatchHeadersSchema,
  listTasksQuerySchema,
  patchTaskBodySchema,
  replaceTaskBodySchema,
  taskIdParamsSchema,
  taskListResponseSchema,
  taskResponseSchema,
} from './task.schemas.js';
import type { WriteContext } from './tasks.service.js';

/**
 * What a client can do next with a task it was given: the links name the operations that take its
 * id, so generated clients and stateful fuzzers (schemathesis) follow create → get → update →
 * complete → delete without guessing. Each must be the operationId of a route below (tested).
 */
const TASK_OPERATIONS = [
  'getTask',
  'replaceTask',
  'updateTask',
  'deleteTask',
  'completeTask',
  'reopenTask',
  'toggleTask',
] as const;
const linksToTask = (id: string) =>
  Object.fromEntries(
    TASK_OPERATIONS.map((operationId) => [operationId, { operationId, parameters: { id } }]),
  );
const taskResponse = (description: string) => ({
  ...jsonResponse(taskResponseSchema, description),
  headers: etagHeaderSchema,
  links: linksToTask('$response.body#/id'),
});

/** A write's context; with `If-Match`, a conditional one (see conditional-answers.ts). */
const write = (res: Response, headers?: { 'If-Match'?: string | undefined }): WriteContext => ({
  userId: res.locals.userId,
  traceparent: res.locals.ctx.traceparent,
  expects: ifMatchCondition(headers?.['If-Match']),
});

/** What every write of one task answers besides its success: 412 on a failed If-Match. */
const conditional = { 412: PRECONDITION_FAILED_RESPONSE };

/** The routes that take a task's id: the caller's task, or 404 as if it did not exist. */
const byId = {
  path: '/api/tasks/{id}',
  tags: ['tasks'],
  security: 'bearer' as const,
  errors: { 404: 'No task with this id belongs to the caller' },
};

/** Every task operation but the reads is a change, counted by the write limit. */
export const TASK_ROUTES = [
  route({
    method: 'get',
    path: '/api/tasks',
    operationId: 'listTasks',
    summary: 'List, filter, search and sort the caller’s tasks',
    tags: ['tasks'],
    security: 'bearer',
    request: { query: listTasksQuerySchema },
    responses: {
      200: {
        ...jsonResponse(taskListResponseSchema, 'A page of tasks'),
        links: linksToTask('$response.body#/items/0/id'),
      },
    },
    handler: ({ query }, { deps, res }) => deps.tasks.list(res.locals.userId, query),
  }),
  route({
    method: 'post',
    path: '/api/tasks',
    operationId: 'createTask',
    summary: 'Create a task',
    tags: ['tasks'],
    security: 'bearer',
    rateLimit: RATE_LIMITS.write,
    request: { body: createTaskBodySchema },
    responses: { 201: taskResponse('Created') },
    handler: async ({ body }, { deps, res }) => {
      const task = await deps.tasks.create(write(res), body);
      res.location(`/api/tasks/${task.id}`);
      return withEtag(res, task);
    },
  }),
  route({
    ...byId,
    method: 'get',
    operationId: 'getTask',
    summary: 'Get a task',
    request: { params: taskIdParamsSchema, headers: ifNoneMatchHeadersSchema },
    responses: { 200: taskResponse('The task'), 304: NOT_MODIFIED_RESPONSE },
    handler: async ({ params, headers }, { deps, res }) =>
      answerRead(res, await deps.tasks.get(res.locals.userId, params.id), headers['If-None-Match']),
  }),
  route({
    ...byId,
    method: 'put',
    operationId: 'replaceTask',
    summary: 'Replace a task (omitted fields return to defaults)',
    rateLimit: RATE_LIMITS.write,
    request: {
      params: taskIdParamsSchema,
      body: replaceTaskBodySchema,
      headers: ifMatchHeadersSchema,
    },
    responses: { 200: taskResponse('The task'), ...conditional },
    handler: ({ params, body, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.replace(write(res, headers), params.id, body)),
  }),
  route({
    ...byId,
    method: 'patch',
    operationId: 'updateTask',
    summary: 'Change some fields of a task',
    rateLimit: RATE_LIMITS.write,
    request: {
      params: taskIdParamsSchema,
      body: patchTaskBodySchema,
      headers: ifMatchHeadersSchema,
    },
    responses: { 200: taskResponse('The task'), ...conditional },
    handler: ({ params, body, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.patch(write(res, headers), params.id, body)),
  }),
  route({
    ...byId,
    method: 'delete',
    operationId: 'deleteTask',
    summary: 'Delete a task (stops its series)',
    rateLimit: RATE_LIMITS.write,
    request: { params: taskIdParamsSchema, headers: ifMatchHeadersSchema },
    responses: { 204: { description: 'Deleted' }, ...conditional },
    handler: ({ params, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.remove(write(res, headers), params.id)),
  }),
  route({
    ...byId,
    method: 'post',
    path: '/api/tasks/{id}/complete',
    operationId: 'completeTask',
    summary: 'Mark a task done (idempotent)',
    rateLimit: RATE_LIMITS.write,
    request: { params: taskIdParamsSchema, headers: ifMatchHeadersSchema },
    responses: { 200: taskResponse('The task'), ...conditional },
    handler: ({ params, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.complete(write(res, headers), params.id)),
  }),
  route({
    ...byId,
    method: 'post',
    path: '/api/tasks/{id}/reopen',
    operationId: 'reopenTask',
    summary: 'Mark a done task pending again (idempotent)',
    rateLimit: RATE_LIMITS.write,
    request: { params: taskIdParamsSchema, headers: ifMatchHeadersSchema },
    responses: { 200: taskResponse('The task'), ...conditional },
    handler: ({ params, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.reopen(write(res, headers), params.id)),
  }),
  route({
    ...byId,
    method: 'patch',
    path: '/api/tasks/{id}/toggle',
    operationId: 'toggleTask',
    summary: 'Flip a task between done and pending (original API)',
    rateLimit: RATE_LIMITS.write,
    request: { params: taskIdParamsSchema, headers: ifMatchHeadersSchema },
    responses: { 200: taskResponse('The task'), ...conditional },
    handler: ({ params, headers }, { deps, res }) =>
      answerWrite(res, deps.tasks.toggle(write(res, headers), params.id)),
  }),
];
