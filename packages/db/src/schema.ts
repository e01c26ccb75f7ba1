import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import {
  OVERDUE_POLICIES,
  RECURRENCE_ANCHORS,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from '@todo/contracts';
import { columnsWithout } from './table-columns.js';
import { timestamptz } from './timestamptz.js';

const now = sql`now()`;

// Enum order is meaningful: `ORDER BY priority` sorts low < medium < high.
export const taskPriority = pgEnum('task_priority', TASK_PRIORITIES);
export const taskStatus = pgEnum('task_status', TASK_STATUSES);
export const recurrenceAnchor = pgEnum('recurrence_anchor', RECURRENCE_ANCHORS);
export const overduePolicy = pgEnum('overdue_policy', OVERDUE_POLICIES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored trimmed and lower-cased, so uniqueness is case-insensitive. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name'),
    /** IANA zone; the default zone of the user's recurring series. */
    timezone: text('timezone').notNull().default('UTC'),
    createdAt: timestamptz('created_at').notNull().default(now),
    updatedAt: timestamptz('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    priority: taskPriority('priority').notNull().default('medium'),
    status: taskStatus('status').notNull().default('pending'),
    // A text[] rather than tags/task_tags tables: tags carry no data of their own, a task's tags
    // change in the same single-row write as the task (and its outbox event), and `tags @> $1`
    // is served by the per-user GIN index below.
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    dueAt: timestamptz('due_at'),
    completedAt: timestamptz('completed_at'),
    /** RFC 5545 RRULE body (no `RRULE:` prefix); null for a one-off task. */
    recurrenceRule: text('recurrence_rule'),
    recurrenceTimezone: text('recurrence_timezone'),
    recurrenceAnchor: recurrenceAnchor('recurrence_anchor'),
    recurrenceOverdue: overduePolicy('recurrence_overdue'),
    /** The series start (RRULE DTSTART) occurrences align to; null until the series has a due date. */
    recurrenceDtstart: timestamptz('recurrence_dtstart'),
    /** 0-based position of this task in its series; COUNT is checked against it. */
    occurrenceIndex: integer('occurrence_index').notNull().default(0),
    /** Set only by the recurrence engine: the occurrence this task follows. */
    parentTaskId: uuid('parent_task_id').references((): AnyPgColumn => tasks.id, {
      onDelete: 'set null',
    }),
    /** Set only by the recurrence engine; null means the task is its own series root. */
    seriesId: uuid('series_id'),
    createdAt: timestamptz('created_at').notNull().default(now),
    updatedAt: timestamptz('updated_at').notNull().default(now),
    /**
     * 1 on insert, then one more on every UPDATE of the row, whoever runs it: the BEFORE UPDATE
     * trigger `tasks_bump_version` (migration 0013) sets it, so no writer can forget. task-api's
     * ETag and If-Match compare it, the same on every replica.
     */
    version: integer('version').notNull().default(1),
    /**
     * lower(title) and lower(description), written by the BEFORE INSERT OR UPDATE trigger
     * `tasks_fold_text` (migration 0019) whatever a writer sets, so the list's text search is a
     * case-sensitive LIKE of lower(pattern): the same answers as ILIKE (which, in a UTF-8
     * database, lowercases the text and the pattern for every row it checks) at a third of the
     * cost per row. Null only on rows written before 0019, until its backfill (0020) reaches them.
     * Not part of a task as read: see taskColumns.
     */
    titleFolded: text('title_folded'),
    descriptionFolded: text('description_folded'),
  },
  (t) => [
    // One index per sort of the list, in the list's exact order with id as the tie-break, so a
    // page is an index scan that stops after `limit` rows, at any depth by cursor: forward for
    // ascending, backward for descending. The NOT NULL columns need one each; due_at needs two,
    // as either direction puts tasks without a due date last (a backward scan would put them
    // first). Status, priority and due_at follow as trailing keys: a filter on them is checked
    // on each index entry, and only matching tasks are fetched from the table (as a filter of the
    // scan it fetched every task the scan passed: 37 per row of a page for a due range matching
    // one task in 37). Task-api's test/list-plans.test.ts checks the plans.
    // Built concurrently (migration 0015, `-- migrate:no-transaction`): writes go on meanwhile.
    index('tasks_user_created_filters_idx')
      .on(t.userId, t.createdAt, t.id, t.status, t.priority, t.dueAt)
      .concurrently(),
    index('tasks_user_updated_filters_idx')
      .on(t.userId, t.updatedAt, t.id, t.status, t.priority, t.dueAt)
      .concurrently(),
    index('tasks_user_due_filters_idx')
      .on(t.userId, t.dueAt, t.id, t.status, t.priority)
      .concurrently(),
    index('tasks_user_due_desc_filters_idx')
      .on(t.userId, t.dueAt.desc().nullsLast(), t.id.desc().nullsFirst(), t.status, t.priority)
      .concurrently(),
    index('tasks_user_priority_filters_idx')
      .on(t.userId, t.priority, t.id, t.status, t.dueAt)
      .concurrently(),
    index('tasks_user_title_filters_idx')
      .on(t.userId, t.title, t.id, t.status, t.priority, t.dueAt)
      .concurrently(),
    // The list's capped `total` reads this index in its order, whatever the page's sort: a count
    // filtered by status, priority or a due range reads only the matching entries (a skip scan
    // over the statuses and priorities for a due range) and never the table.
    index('tasks_user_filters_idx').on(t.userId, t.status, t.priority, t.dueAt).concurrently(),
    // Tag and text filters search one user's tasks: user_id leads each GIN index (btree_gin's
    // uuid operator class, migration 0012), so a bitmap scan yields only that user's matches.
    // Over the whole table, a common tag or word matched every user's tasks first (50,000 entries
    // for a user with 1,000 tasks), and only then the user's.
    index('tasks_user_tags_idx').using('gin', t.userId, t.tags),
    // The text search's, over the folded copies it searches (built concurrently, migration 0021).
    index('tasks_user_title_folded_trgm_idx')
      .using('gin', t.userId, t.titleFolded.op('gin_trgm_ops'))
      .concurrently(),
    index('tasks_user_description_folded_trgm_idx')
      .using('gin', t.userId, t.descriptionFolded.op('gin_trgm_ops'))
      .concurrently(),
    index('tasks_series_idx').on(t.seriesId),
    // At most one next occurrence per task: the engine's idempotency rests on this.
    uniqueIndex('tasks_one_child_per_parent_key').on(t.parentTaskId),
    check('tasks_occurrence_index_non_negative', sql`${t.occurrenceIndex} >= 0`),
    // The trigger fills the folded copies on every write; this makes a row without them (one
    // written with triggers disabled, or one 0020's backfill missed) an error, not a task the
    // search silently never finds. Added NOT VALID and validated apart (migration 0022).
    check('tasks_title_folded_filled', sql`${t.titleFolded} IS NOT NULL`),
    check(
      'tasks_done_has_completed_at',
      sql`(${t.status} = 'done') = (${t.completedAt} IS NOT NULL)`,
    ),
    check(
      'tasks_recurrence_complete',
      sql`(${t.recurrenceRule} IS NULL) = (${t.recurrenceTimezone} IS NULL) AND (${t.recurrenceRule} IS NULL) = (${t.recurrenceAnchor} IS NULL) AND (${t.recurrenceRule} IS NULL) = (${t.recurrenceOverdue} IS NULL)`,
    ),
  ],
);

/**
 * One row per tag of each task, written by triggers on tasks (migrations 0016 and 0018) in the
 * statement that writes the task, so it always holds exactly the tags tasks.tags holds. It exists
 * for the list's capped `total` of a tag: the GIN index finds a tag's tasks but cannot stop after
 * 1,001 of them, so that count read the user's tasks in creation order and checked each one's tags
 * (ten rows per counted task for a tag on one task in ten); its primary key counts them from the
 * index.
 */
export const taskTags = pgTable(
  'task_tags',
  {
    userId: uuid('user_id').notNull(),
    tag: text('tag').notNull(),
    // No foreign key: the delete trigger removes a deleted task's rows, and migration 0017's copy
    // of older tasks' tags, minutes long on a big table, would fail on a task deleted meanwhile.
    taskId: uuid('task_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.tag, t.taskId] }),
    // The triggers' deletes of a task's rows when it is deleted or loses a tag.
    index('task_tags_task_id_idx').on(t.taskId),
  ],
);

/**
 * Transactional outbox: written in the same transaction as the change it describes. Published
 * rows are pruned by their producer after a window (outbox-relay retention).
 */
export const outbox = pgTable(
  'outbox',
  {
    eventId: uuid('event_id').primaryKey(),
    /** The app whose relay publishes this row (its Dapr app id), so each publishes its own. */
    producer: text('producer').notNull(),
    /** The series id: the Kafka partition key, so one series is processed in order. */
    aggregateId: uuid('aggregate_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    /** W3C traceparent of the request that caused the event. */
    traceparent: text('traceparent'),
    createdAt: timestamptz('created_at').notNull().default(now),
    publishedAt: timestamptz('published_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** After a failed publish, the row waits until then (exponential backoff per row). */
    nextAttemptAt: timestamptz('next_attempt_at'),
  },
  (t) => [
    index('outbox_unpublished_idx')
      .on(t.producer, t.createdAt)
      .where(sql`${t.publishedAt} IS NULL`),
    // Each service's pruning of the rows it published, oldest first (outbox-relay retention).
    index('outbox_published_idx')
      .on(t.producer, t.publishedAt)
      .where(sql`${t.publishedAt} IS NOT NULL`),
  ],
);

/**
 * One row per (consumer, event) a consumer has handled, for idempotent consumers. Pruned by the
 * consumer after a window longer than any redelivery can arrive (the engine's README).
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    consumer: text('consumer').notNull(),
    eventId: text('event_id').notNull(),
    processedAt: timestamptz('processed_at').notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.consumer, t.eventId] }),
    index('processed_events_consumer_processed_at_idx').on(t.consumer, t.processedAt),
  ],
);

/**
 * Deliveries of an event a consumer has begun and not yet finished, counted at the start of each
 * delivery, so deliveries that time out or die with the process count too, and every replica
 * sees the same count. The row goes when the event is handled (with the processed_events insert)
 * or parked.
 */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    consumer: text('consumer').notNull(),
    eventId: text('event_id').notNull(),
    attempts: integer('attempts').notNull().default(1),
    /** The last failure seen, if the attempt got as far as failing (a timeout leaves none). */
    lastError: text('last_error'),
    firstAttemptAt: timestamptz('first_attempt_at').notNull().default(now),
    lastAttemptAt: timestamptz('last_attempt_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);

export const PARK_REASONS = ['attempts_exhausted', 'invalid'] as const;
export type ParkReason = (typeof PARK_REASONS)[number];

/**
 * Events a consumer gave up on (too many failed attempts, or never processable), kept for an
 * operator to inspect and re-drive instead of being retried forever.
 */
export const parkedEvents = pgTable(
  'parked_events',
  {
    consumer: text('consumer').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    /**
     * The CloudEvent as delivered, as JSON text: text rather than jsonb, which refuses some JSON
     * (`\u0000`), so whatever arrived can be kept.
     */
    envelope: text('envelope').notNull(),
    reason: text('reason', { enum: PARK_REASONS }).notNull(),
    attempts: integer('attempts').notNull(),
    lastError: text('last_error').notNull(),
    parkedAt: timestamptz('parked_at').notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.consumer, t.eventId] }),
    index('parked_events_consumer_parked_at_idx').on(t.consumer, t.parkedAt),
    check(
      'parked_events_reason_known',
      sql`${t.reason} IN (${sql.raw(PARK_REASONS.map((r) => `'${r}'`).join(', '))})`,
    ),
  ],
);

/**
 * task-api's rate-limit counters (services/task-api/src/rate-limit/postgres-store.ts), shared by
 * its replicas: one fixed window per key, on the database's clock. The migration creates it
 * UNLOGGED (drizzle cannot say so): counters need no crash safety, and skipping the WAL keeps a
 * write per request cheap.
 */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetAt: timestamptz('reset_at').notNull(),
  },
  (t) => [index('rate_limit_hits_reset_at_idx').on(t.resetAt)],
);

/**
 * A signed-in device: one family of rotating refresh tokens. Revoking it (logout, reuse of an old
 * refresh token, password change, account deletion) ends every token of the family at once.
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().default(now),
    /** Absolute end of the session: refreshing never extends it past this. */
    expiresAt: timestamptz('expires_at').notNull(),
    lastRefreshedAt: timestamptz('last_refreshed_at'),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('auth_sessions_user_id_idx').on(t.userId)],
);

/**
 * Refresh tokens, stored only as a SHA-256 hash. A token is used once: refreshing marks it used
 * and issues its successor in the same family; presenting a used token again is reuse, which
 * revokes the family.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => authSessions.id, { onDelete: 'cascade' }),
    issuedAt: timestamptz('issued_at').notNull().default(now),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('refresh_tokens_session_id_idx').on(t.sessionId)],
);

/**
 * Every change to a user's tasks, in the order the changes committed, for task-api's live stream
 * (Server-Sent Events): `seq` is the stream's event id, so a client that reconnects with
 * `Last-Event-ID` resumes after it. Written in the transaction that writes the outbox, by both
 * services; the insert trigger notifies `task_changes` with the user id so every task-api replica
 * wakes its listeners. No foreign key to users: a deleted account's last notice must outlive it.
 * Rows older than the stream's retention window are pruned.
 */
export const taskChanges = pgTable(
  'task_changes',
  {
    seq: bigint('seq', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id').notNull(),
    /** The outbox event id of the change (the same id Kafka consumers see). */
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().default(now),
  },
  (t) => [
    index('task_changes_user_id_seq_idx').on(t.userId, t.seq),
    index('task_changes_created_at_idx').on(t.createdAt),
  ],
);

/**
 * The folded copies only the list's search reads and no writer sets (the trigger does): left out
 * of a task as the services read it, as they would double a long description's bytes per row.
 */
export const TASK_SEARCH_ONLY_COLUMNS = ['titleFolded', 'descriptionFolded'] as const;
type SearchOnlyColumn = (typeof TASK_SEARCH_ONLY_COLUMNS)[number];

/** A task's columns as the services read them (select, returning): all but the search-only ones. */
export const taskColumns = columnsWithout(tasks, TASK_SEARCH_ONLY_COLUMNS);

/** taskColumns as a RETURNING (or SELECT) list, for statements written in SQL. */
export const taskColumnList = sql.join(
  Object.values(taskColumns).map((column) => sql.identifier(column.name)),
  sql`, `,
);

/** A task as read. */
export type TaskRow = Omit<typeof tasks.$inferSelect, SearchOnlyColumn>;
export type NewTaskRow = Omit<typeof tasks.$inferInsert, SearchOnlyColumn>;
export type ParkedEventRow = typeof parkedEvents.$inferSelect;
