import type { Task } from '@todo/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { taskCacheFor } from '../stream/task-cache';
import { ErrorMessage } from '../ui/ErrorMessage';
import { ConflictPanel } from './ConflictPanel';
import { conflictRows, TaskConflictError } from './task-conflict';
import { formValuesFromTask, patchBody, type TaskFormValues } from './task-form-values';
import { useTask, useTaskMutations } from './task-queries';
import { TaskForm } from './TaskForm';
import { useBackToList } from './use-back-to-list';

export function EditTaskPage() {
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const task = useTask(id);
  const { update } = useTaskMutations();
  const cache = taskCacheFor(useQueryClient());
  const back = useBackToList();
  // The task as the form was opened on: the edit is made from it, compared against it, and
  // sent with its version. The live stream may update the cached task meanwhile; the form keeps
  // this person's values, and saving then answers a conflict instead of overwriting.
  const [seen, setSeen] = useState<Task>();
  const [submitted, setSubmitted] = useState<TaskFormValues>();
  if (task.data && (!seen || seen.id !== task.data.id)) setSeen(task.data);

  if (task.isPending) return <p role="status">Loading…</p>;
  if (task.isError) return <ErrorMessage view={describeError(task.error)} />;
  const base = seen ?? task.data;
  const conflict = update.error instanceof TaskConflictError ? update.error : undefined;

  const save = (values: TaskFormValues, from: Task) => {
    setSubmitted(values);
    const body = patchBody(values, base, user.timezone);
    if (body) update.mutate({ seen: from, body }, { onSuccess: back });
    else back();
  };
  const takeTheirs = (current: Task) => {
    cache.apply({ kind: 'upsert', task: current });
    setSeen(current);
    update.reset();
  };

  return (
    <section className="narrow">
      <h1>Edit task</h1>
      {(base.recurrence || base.parent_task_id) && (
        <p>
          <Link to={`/tasks/${base.id}/series`}>See its series: earlier and next dates</Link>
        </p>
      )}
      {conflict && submitted && (
        <ConflictPanel
          rows={conflictRows(base, conflict.current, submitted, user.timezone)}
          busy={update.isPending}
          // Only the fields this person changed are sent, over the version the conflict answered.
          onKeepMine={() => save(submitted, conflict.current)}
          onTakeTheirs={() => takeTheirs(conflict.current)}
        />
      )}
      <TaskForm
        // A new form on the task as it is now when this person takes theirs.
        key={`${base.id}:${base.version}`}
        initial={formValuesFromTask(base, user.timezone)}
        zone={user.timezone}
        ruleZone={base.recurrence?.timezone}
        submitLabel="Save changes"
        submitting={update.isPending}
        error={conflict ? undefined : update.error}
        onSubmit={(values) => save(values, base)}
        onCancel={back}
      />
    </section>
  );
}
