import { APP_IDS, TASK_EVENT_TYPES } from '@todo/contracts';
import {
  recordTaskEvents,
  seriesIdOf,
  type Database,
  type EventOrigin,
  type NewTaskRow,
  type TaskRow,
  type Transaction,
} from '@todo/db';
import { AppError } from '@todo/service-runtime';
import { resolveRecurrence } from './recurrence-fields.js';
import { ownerGoneToAppError } from './owner-gone.js';
import { completionFields, eventsForChange, eventsForCreate } from './task-changes.js';
import { toTaskResponse } from './task-dto.js';
import { StaleTaskError, type VersionPrecondition } from './task-preconditions.js';
import { encodeListCursor } from './task-list-cursor.js';
import { effectiveOrder } from './task-list-sort.js';
import type {
  CreateTaskBody,
  ListTasksQuery,
  PatchTaskBody,
  TaskListResponse,
  TaskResponse,
} from './task.schemas.js';
import type { TasksRepository } from './tasks.repository.js';

export interface WriteContext {
  userId: string;
  traceparent?: string | undefined;
  /**
   * A conditional write (If-Match): checked against the locked row's version before anything
   * changes; when it fails the write throws StaleTaskError with the task as it is.
   */
  expects?: VersionPrecondition | undefined;
}

/** Under the row lock, so of two writes expecting one version exactly one passes. */
function checkPrecondition(ctx: WriteContext, current: TaskRow): void {
  if (ctx.expects && !ctx.expects(current.version)) {
    throw new StaleTaskError(toTaskResponse(current));
  }
}

/** The API's events carry the trace of the request that caused them. */
const origin = (ctx: WriteContext): EventOrigin => ({
  producer: APP_IDS.taskApi,
  traceparent: ctx.traceparent,
});

export function createTasksService(deps: {
  db: Database;
  repo: TasksRepository;
  now?: () => Date;
}) {
  const { db, repo } = deps;
  const now = deps.now ?? (() => new Date());

  /** Applies a change to a locked task and records its events in the same transaction. */
  async function change(
    ctx: WriteContext,
    id: string,
    compute: (
      current: TaskRow,
      tx: Transaction,
      at: Date,
    ) => Promise<Partial<NewTaskRow> | undefined>,
  ): Promise<TaskResponse> {
    return db.transaction(async (tx) => {
      const current = await repo.findForUpdate(tx, ctx.userId, id);
      if (!current) throw AppError.notFound('task');
      checkPrecondition(ctx, current);
      const at = now();
      const values = await compute(current, tx, at);
      // A change that changes nothing writes nothing: no row update, no event.
      if (!values || eventsForChange(current, { ...current, ...values }, at).length === 0) {
        return toTaskResponse(current);
      }
      const next = await repo.update(tx, id, { ...values, updatedAt: at });
      const events = eventsForChange(current, next, at);
      await recordTaskEvents(tx, origin(ctx), next, events);
      return toTaskResponse(next);
    });
  }

  /** The full set of writable values, with omitted fields at their defaults (create and PUT). */
  async function fullValues(
    tx: Transaction,
    ctx: WriteContext,
    body: CreateTaskBody,
    existing: TaskRow | undefined,
    at: Date,
  ) {
    const dueAt = body.due_date ?? null;
    return {
      title: body.title,
      description: body.description ?? null,
      priority: body.priority ?? 'medium',
      tags: body.tags ?? [],
      dueAt,
      ...completionFields(existing, body.status ?? 'pending', at),
      ...(await resolveRecurrence(body, existing, 'replace', dueAt, () =>
        repo.userTimezone(tx, ctx.userId),
      )),
    } satisfies Partial<NewTaskRow>;
  }

  return {
    async create(ctx: WriteContext, body: CreateTaskBody): Promise<TaskResponse> {
      const created = db.transaction(async (tx) => {
        const at = now();
        const row = await repo.insert(tx, {
          userId: ctx.userId,
          ...(await fullValues(tx, ctx, body, undefined, at)),
          createdAt: at,
          updatedAt: at,
        });
        await recordTaskEvents(tx, origin(ctx), row, eventsForCreate(row));
        return toTaskResponse(row);
      });
      return created.catch((error: unknown) => {
        throw ownerGoneToAppError(error);
      });
    },

    async get(userId: string, id: string): Promise<TaskResponse> {
      const row = await repo.find(db, userId, id);
      if (!row) throw AppError.notFound('task');
      return toTaskResponse(row);
    },

    async list(userId: string, query: ListTasksQuery): Promise<TaskListResponse> {
      const page = await repo.list(db, userId, query);
      const last = page.rows.at(-1);
      return {
        items: page.rows.map(toTaskResponse),
        total: page.total,
        total_capped: page.totalCapped,
        limit: query.limit,
        offset: query.offset,
        next_cursor:
          page.more && last
            ? encodeListCursor({
                sort: query.sort,
                order: effectiveOrder(query.sort, query.order),
                key: last.sortKey,
                id: last.id,
              })
            : null,
      };
    },

    replace(ctx: WriteContext, id: string, body: CreateTaskBody): Promise<TaskResponse> {
      return change(ctx, id, (current, tx, at) => fullValues(tx, ctx, body, current, at));
    },

    patch(ctx: WriteContext, id: string, body: PatchTaskBody): Promise<TaskResponse> {
      return change(ctx, id, async (current, tx, at) => {
        const values: Partial<NewTaskRow> = {};
        if (body.title !== undefined) values.title = body.title;
        if (body.description !== undefined) values.description = body.description;
        if (body.priority !== undefined) values.priority = body.priority;
        if (body.tags !== undefined) values.tags = body.tags;
        if (body.due_date !== undefined) values.dueAt = body.due_date;
        if (body.status !== undefined)
          Object.assign(values, completionFields(current, body.status, at));
        const dueAt = body.due_date !== undefined ? body.due_date : current.dueAt;
        const recurrence = await resolveRecurrence(body, current, 'patch', dueAt, () =>
          repo.userTimezone(tx, ctx.userId),
        );
        if (recurrence) Object.assign(values, recurrence);
        return values;
      });
    },

    complete(ctx: WriteContext, id: string): Promise<TaskResponse> {
      return change(ctx, id, async (current, _tx, at) =>
        current.status === 'done' ? undefined : completionFields(current, 'done', at),
      );
    },

    reopen(ctx: WriteContext, id: string): Promise<TaskResponse> {
      return change(ctx, id, async (current, _tx, at) =>
        current.status === 'done' ? completionFields(current, 'pending', at) : undefined,
      );
    },

    /** The original API's toggle: done <-> pending. */
    toggle(ctx: WriteContext, id: string): Promise<TaskResponse> {
      return change(ctx, id, async (current, _tx, at) =>
        completionFields(current, current.status === 'done' ? 'pending' : 'done', at),
      );
    },

    async remove(ctx: WriteContext, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (ctx.expects) {
          const current = await repo.findForUpdate(tx, ctx.userId, id);
          if (!current) throw AppError.notFound('task');
          checkPrecondition(ctx, current);
        }
        const row = await repo.delete(tx, ctx.userId, id);
        if (!row) throw AppError.notFound('task');
        await recordTaskEvents(tx, origin(ctx), row, [
          {
            type: TASK_EVENT_TYPES.deleted,
            data: {
              task_id: row.id,
              user_id: row.userId,
              series_id: seriesIdOf(row),
              deleted_at: now().toISOString(),
            },
          },
        ]);
      });
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
