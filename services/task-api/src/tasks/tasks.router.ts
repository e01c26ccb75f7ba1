import { Router } from 'express';
import { methodNotAllowed, parseInput } from '@todo/service-runtime';
import {
  createTaskBodySchema,
  listTasksQuerySchema,
  patchTaskBodySchema,
  replaceTaskBodySchema,
  taskIdParamsSchema,
} from './task.schemas.js';
import type { TasksService, WriteContext } from './tasks.service.js';

/** Thin HTTP layer: parse, call the service, answer. Mounted behind requireAuth. */
export function tasksRouter(tasks: TasksService): Router {
  const router = Router();
  const write = (res: {
    locals: { userId: string; ctx: { traceparent: string | undefined } };
  }): WriteContext => ({
    userId: res.locals.userId,
    traceparent: res.locals.ctx.traceparent,
  });
  const idOf = (params: unknown) => parseInput(taskIdParamsSchema, params, 'params').id;

  router.get('/', async (req, res) => {
    res.json(
      await tasks.list(res.locals.userId, parseInput(listTasksQuerySchema, req.query, 'query')),
    );
  });
  router.post('/', async (req, res) => {
    const task = await tasks.create(write(res), parseInput(createTaskBodySchema, req.body, 'body'));
    res.status(201).location(`${req.baseUrl}/${task.id}`).json(task);
  });
  router.get('/:id', async (req, res) => {
    res.json(await tasks.get(res.locals.userId, idOf(req.params)));
  });
  router.put('/:id', async (req, res) => {
    const id = idOf(req.params);
    res.json(
      await tasks.replace(write(res), id, parseInput(replaceTaskBodySchema, req.body, 'body')),
    );
  });
  router.patch('/:id', async (req, res) => {
    const id = idOf(req.params);
    res.json(await tasks.patch(write(res), id, parseInput(patchTaskBodySchema, req.body, 'body')));
  });
  router.delete('/:id', async (req, res) => {
    await tasks.remove(write(res), idOf(req.params));
    res.status(204).end();
  });
  router.post('/:id/complete', async (req, res) => {
    res.json(await tasks.complete(write(res), idOf(req.params)));
  });
  router.post('/:id/reopen', async (req, res) => {
    res.json(await tasks.reopen(write(res), idOf(req.params)));
  });
  router.patch('/:id/toggle', async (req, res) => {
    res.json(await tasks.toggle(write(res), idOf(req.params)));
  });
  router.all('/', methodNotAllowed(['GET', 'POST']));
  router.all('/:id', methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE']));
  router.all(['/:id/complete', '/:id/reopen'], methodNotAllowed(['POST']));
  router.all('/:id/toggle', methodNotAllowed(['PATCH']));
  return router;
}
