import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formValuesFromTask, patchBody } from './task-form-values';
import { useTask, useTaskMutations } from './task-queries';
import { TaskForm } from './TaskForm';
import { useBackToList } from './use-back-to-list';

export function EditTaskPage() {
  const { id = '' } = useParams();
  const { user } = useSignedIn();
  const task = useTask(id);
  const { update } = useTaskMutations();
  const back = useBackToList();

  if (task.isPending) return <p role="status">Loading…</p>;
  if (task.isError) return <ErrorMessage view={describeError(task.error)} />;
  return (
    <section className="narrow">
      <h1>Edit task</h1>
      {(task.data.recurrence || task.data.parent_task_id) && (
        <p>
          <Link to={`/tasks/${task.data.id}/series`}>See its series: earlier and next dates</Link>
        </p>
      )}
      <TaskForm
        key={task.data.id}
        initial={formValuesFromTask(task.data, user.timezone)}
        zone={user.timezone}
        ruleZone={task.data.recurrence?.timezone}
        submitLabel="Save changes"
        submitting={update.isPending}
        error={update.error}
        onSubmit={(values) => {
          const body = patchBody(values, task.data, user.timezone);
          if (body) update.mutate({ id, body }, { onSuccess: back });
          else back();
        }}
        onCancel={back}
      />
    </section>
  );
}
