import type { Task } from '@todo/api-client';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/api-error';
import { formatDue, formatFull } from '../time/zoned-time';
import { TaskConflictError } from './task-conflict';
import { useTaskMutations } from './task-queries';
import { STATUS_LABELS } from './task-types';

interface TaskItemProps {
  task: Task;
  zone: string;
  now: Date;
  /** The list's URL, for the edit page to come back to. */
  from: string;
}

const CONFLICT_WHAT = {
  complete: 'Mark it done anyway?',
  reopen: 'Mark it not done anyway?',
  remove: 'Delete it anyway?',
} as const;

export function TaskItem({ task, zone, now, from }: TaskItemProps) {
  const { complete, reopen, remove } = useTaskMutations();
  const [confirming, setConfirming] = useState(false);
  const done = task.status === 'done';
  const overdue = !done && task.due_date !== null && Date.parse(task.due_date) < now.getTime();
  const failure = complete.error ?? reopen.error ?? remove.error;
  const conflict = failure instanceof TaskConflictError ? failure : undefined;
  // What this person last asked for, to ask again over the task as it is now ("Keep mine").
  const [asked, setAsked] = useState<'complete' | 'reopen' | 'remove'>();
  const ask = (what: 'complete' | 'reopen' | 'remove', seen: Task) => {
    setAsked(what);
    for (const mutation of [complete, reopen, remove]) mutation.reset();
    ({ complete, reopen, remove })[what].mutate(seen);
  };
  const busy = complete.isPending || reopen.isPending || remove.isPending;
  // The box shows the change asked for at once; a failure puts it back (and says why).
  const checked = complete.isPending || (done && !reopen.isPending);

  return (
    <li className={`task ${done ? 'task-done' : ''}`}>
      <input
        type="checkbox"
        className="task-check"
        checked={checked}
        disabled={busy}
        aria-label={`Done: ${task.title}`}
        onChange={() => ask(done ? 'reopen' : 'complete', task)}
      />
      <div className="task-body">
        <Link to={`/tasks/${task.id}`} state={{ from }} className="task-title">
          {task.title}
        </Link>
        {task.description && <p className="task-description">{task.description}</p>}
        <p className="task-meta">
          {task.status === 'in_progress' && (
            <span className="badge">{STATUS_LABELS.in_progress}</span>
          )}
          <span className={`badge priority-${task.priority}`}>{task.priority}</span>
          {task.due_date && (
            <time
              dateTime={task.due_date}
              title={formatFull(task.due_date, zone)}
              className={overdue ? 'overdue' : undefined}
            >
              {overdue ? 'Overdue: ' : 'Due '}
              {formatDue(task.due_date, zone, now)}
            </time>
          )}
          {(task.recurrence || task.parent_task_id) && (
            <Link to={`/tasks/${task.id}/series`} className="repeat-badge">
              <span aria-hidden="true">↻ </span>
              <span className="visually-hidden">Series, repeats </span>
              {task.recurrence?.description ?? 'no longer repeats'}
            </Link>
          )}
          {task.tags.map((tag) => (
            <span key={tag} className="tag">
              #{tag}
            </span>
          ))}
        </p>
        {conflict && asked ? (
          <div role="alert" className="field-error conflict">
            <p>
              Changed elsewhere before your {asked === 'remove' ? 'delete' : 'change'}: it is shown
              as saved now. {CONFLICT_WHAT[asked]}
            </p>
            <button type="button" onClick={() => ask(asked, conflict.current)}>
              Keep mine
            </button>
            <button
              type="button"
              onClick={() => {
                for (const mutation of [complete, reopen, remove]) mutation.reset();
              }}
            >
              Take theirs
            </button>
          </div>
        ) : (
          failure !== null && (
            <p role="alert" className="field-error">
              {describeError(failure).message}
            </p>
          )
        )}
      </div>
      <div className="task-actions">
        {confirming ? (
          <>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => ask('remove', task)}
              aria-label={`Confirm delete: ${task.title}`}
            >
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            aria-label={`Delete ${task.title}`}
          >
            Delete
          </button>
        )}
      </div>
    </li>
  );
}
