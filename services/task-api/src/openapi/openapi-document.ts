import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { z } from 'zod';
import {
  loginBodySchema,
  registerBodySchema,
  tokenResponseSchema,
  userSchema,
} from '../auth/auth.schemas.js';
import { previewQuerySchema, previewResponseSchema } from '../recurrence/recurrence.schemas.js';
import {
  createTaskBodySchema,
  listTasksQuerySchema,
  patchTaskBodySchema,
  replaceTaskBodySchema,
  taskIdParamsSchema,
  taskListResponseSchema,
  taskResponseSchema,
} from '../tasks/task.schemas.js';

const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      error_id: z
        .string()
        .optional()
        .meta({ description: 'Present on 5xx; quote it when reporting a fault' }),
    }),
  })
  .meta({ id: 'Error' });

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = (...statuses: number[]): ZodOpenApiResponsesObject =>
  Object.fromEntries(
    statuses.map((status) => [String(status), json(errorSchema, `Error ${status}`)]),
  );

/** The limits are per minute and configurable (task-api README), so the document names no number. */
const rateLimited = (what: string): ZodOpenApiResponsesObject => ({
  429: {
    ...json(errorSchema, `Too many ${what} in the current one-minute window`),
    headers: z.object({
      'Retry-After': z.string().meta({ description: 'Seconds until the window resets' }),
      RateLimit: z.string().meta({
        description:
          'Remaining requests and seconds to reset (IETF draft 8), e.g. `"write"; r=0; t=42`',
      }),
      'RateLimit-Policy': z.string().meta({
        description: 'The limit and its window (IETF draft 8), e.g. `"write"; q=300; w=60`',
      }),
    }),
  },
});

/**
 * What a client can do next with a task it was given: the links name the operations that take its
 * id, so generated clients and stateful fuzzers (schemathesis) follow create → get → update →
 * complete → delete without guessing.
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
  ...json(taskResponseSchema, description),
  links: linksToTask('$response.body#/id'),
});

const secured = { security: [{ bearerAuth: [] }] };
const open = { security: [] };
const taskOp = (
  operationId: (typeof TASK_OPERATIONS)[number],
  summary: string,
  extra: Partial<ZodOpenApiOperationObject> = {},
  ok: ZodOpenApiResponsesObject = { 200: taskResponse('The task') },
): ZodOpenApiOperationObject => ({
  operationId,
  summary,
  tags: ['tasks'],
  ...secured,
  requestParams: { path: taskIdParamsSchema },
  responses: {
    ...ok,
    ...errors(400, 401, 404, 500),
    ...(extra.requestBody ? errors(413, 415) : {}),
    // Every task operation but the read is a change, counted by the write limit.
    ...(operationId === 'getTask' ? {} : rateLimited('task changes by this user')),
  },
  ...extra,
});
const body = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Todo task-api',
      version: '1.0.0',
      description:
        'Accounts and tasks for the todo frontend. Task changes are published as events.',
    },
    // Relative: the API is documented wherever it is served from.
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths: {
      '/api/auth/register': {
        post: {
          operationId: 'register',
          summary: 'Create an account and receive an access token',
          tags: ['auth'],
          ...open,
          requestBody: body(registerBodySchema),
          responses: {
            201: json(tokenResponseSchema, 'Registered'),
            ...errors(400, 409, 413, 415, 500),
            ...rateLimited('login and register attempts from this IP'),
          },
        },
      },
      '/api/auth/login': {
        post: {
          operationId: 'login',
          summary: 'Exchange email and password for an access token',
          tags: ['auth'],
          ...open,
          requestBody: body(loginBodySchema),
          responses: {
            200: json(tokenResponseSchema, 'Logged in'),
            ...errors(400, 401, 413, 415, 500),
            ...rateLimited('login and register attempts from this IP'),
          },
        },
      },
      '/api/auth/me': {
        get: {
          operationId: 'getMe',
          summary: 'The caller',
          tags: ['auth'],
          ...secured,
          responses: { 200: json(userSchema, 'The caller'), ...errors(401, 500) },
        },
      },
      '/api/tasks': {
        get: {
          operationId: 'listTasks',
          summary: 'List, filter, search and sort the caller’s tasks',
          tags: ['tasks'],
          ...secured,
          requestParams: { query: listTasksQuerySchema },
          responses: {
            200: {
              ...json(taskListResponseSchema, 'A page of tasks'),
              links: linksToTask('$response.body#/items/0/id'),
            },
            ...errors(400, 401, 500),
          },
        },
        post: {
          operationId: 'createTask',
          summary: 'Create a task',
          tags: ['tasks'],
          ...secured,
          requestBody: body(createTaskBodySchema),
          responses: {
            201: taskResponse('Created'),
            ...errors(400, 401, 413, 415, 500),
            ...rateLimited('task changes by this user'),
          },
        },
      },
      '/api/tasks/{id}': {
        get: taskOp('getTask', 'Get a task'),
        put: taskOp('replaceTask', 'Replace a task (omitted fields return to defaults)', {
          requestBody: body(replaceTaskBodySchema),
        }),
        patch: taskOp('updateTask', 'Change some fields of a task', {
          requestBody: body(patchTaskBodySchema),
        }),
        delete: taskOp(
          'deleteTask',
          'Delete a task (stops its series)',
          {},
          {
            204: { description: 'Deleted' },
          },
        ),
      },
      '/api/tasks/{id}/complete': { post: taskOp('completeTask', 'Mark a task done (idempotent)') },
      '/api/tasks/{id}/reopen': {
        post: taskOp('reopenTask', 'Mark a done task pending again (idempotent)'),
      },
      '/api/tasks/{id}/toggle': {
        patch: taskOp('toggleTask', 'Flip a task between done and pending (original API)'),
      },
      '/api/recurrence/preview': {
        get: {
          operationId: 'previewRecurrence',
          summary: 'The next occurrences and a description of a rule, before saving it',
          tags: ['recurrence'],
          ...secured,
          requestParams: { query: previewQuerySchema },
          responses: {
            200: json(previewResponseSchema, 'Preview'),
            ...errors(400, 401, 500),
            ...rateLimited('previews by this user'),
          },
        },
      },
      '/livez': {
        get: {
          operationId: 'checkLiveness',
          summary: 'Process is alive',
          tags: ['health'],
          ...open,
          responses: { 200: { description: 'Alive' } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'checkReadiness',
          summary: 'Database reachable',
          tags: ['health'],
          ...open,
          responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } },
        },
      },
    },
  });
}
