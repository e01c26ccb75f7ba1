import { useSignedIn } from '../auth/auth-context';
import { createBody, EMPTY_TASK_FORM } from './task-form-values';
import { useTaskMutations } from './task-queries';
import { TaskForm } from './TaskForm';
import { useBackToList } from './use-back-to-list';

export function NewTaskPage() {
  const { user } = useSignedIn();
  const { create } = useTaskMutations();
  const back = useBackToList();
  return (
    <section className="narrow">
      <h1>New task</h1>
      <TaskForm
        initial={EMPTY_TASK_FORM}
        zone={user.timezone}
        submitLabel="Create task"
        submitting={create.isPending}
        error={create.error}
        onSubmit={(values) => create.mutate(createBody(values, user.timezone), { onSuccess: back })}
        onCancel={back}
      />
    </section>
  );
}
