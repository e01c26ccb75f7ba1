import type { Task } from '@todo/api-client';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { useTask } from '../tasks/task-queries';
import { formatDue, formatFull } from '../time/zoned-time';
import { useNow } from '../time/use-now';
import { ErrorMessage } from '../ui/ErrorMessage';
import { nextDates, nextDatesPlan, seriesOccurrences } from './series-occurrences';
import { useNextDates, useSeriesTasks } from './series-queries';

/** A recurring task's series: its occurrences so far and its next dates. */
export function SeriesPage() {
  const { id = '' } = useParams();
  const task = useTask(id);
  if (task.isPending) return <p role="status">Loading…</p>;
  if (task.isError) return <ErrorMessage view={describeError(task.error)} />;
  return <SeriesView task={task.data} />;
}

function SeriesView({ task }: { task: Task }) {
  const { user } = useSignedIn();
  const zone = user.timezone;
  const now = useNow();
  const series = useSeriesTasks(task);
  const occurrences = seriesOccurrences(task, series.data?.items ?? []);
  const latest = occurrences[occurrences.length - 1] ?? task;
  const plan = nextDatesPlan(latest, now);
  const preview = useNextDates(plan);
  const error = series.error ?? preview.error;
  const rule = latest.recurrence ?? task.recurrence;

  return (
    <section className="narrow series">
      <p>
        <Link to="/">← All tasks</Link>
      </p>
      <h1>Series: {task.title}</h1>
      {rule ? (
        <p>
          Repeats <strong>{rule.description}</strong>
          {rule.anchor === 'completion' && ', counted from each completion'} ({rule.timezone}).
        </p>
      ) : (
        <p>This task does not repeat.</p>
      )}
      <ErrorMessage view={error ? describeError(error) : undefined} />

      <h2 id="occurrences-heading">Occurrences</h2>
      <ol aria-labelledby="occurrences-heading" className="occurrence-list">
        {occurrences.map((occurrence) => (
          <li key={occurrence.id} aria-current={occurrence.id === task.id ? 'true' : undefined}>
            <span className="occurrence-number">#{occurrence.occurrence_index + 1}</span>{' '}
            <Link to={`/tasks/${occurrence.id}`}>
              {occurrence.due_date ? (
                <time dateTime={occurrence.due_date} title={formatFull(occurrence.due_date, zone)}>
                  {formatDue(occurrence.due_date, zone, now)}
                </time>
              ) : (
                'No due date'
              )}
            </Link>{' '}
            <span className="occurrence-status">{statusText(occurrence, zone, now)}</span>
          </li>
        ))}
      </ol>
      {series.isPending && <p role="status">Looking for the others…</p>}

      <h2 id="next-heading">Next dates</h2>
      <div aria-live="polite">
        {plan.kind === 'none' && <p>{plan.reason}</p>}
        {plan.kind === 'preview' && preview.data && (
          <ol aria-labelledby="next-heading" className="occurrence-list">
            {nextDates(plan, preview.data.occurrences).map((at) => (
              <li key={at}>
                <time dateTime={at}>{formatFull(at, zone)}</time>
              </li>
            ))}
          </ol>
        )}
        {plan.kind === 'preview' &&
          preview.data &&
          nextDates(plan, preview.data.occurrences).length === 0 && (
            <p>The rule has no more dates.</p>
          )}
      </div>
    </section>
  );
}

function statusText(task: Task, zone: string, now: Date): string {
  if (task.status === 'done') {
    return task.completed_at ? `done ${formatDue(task.completed_at, zone, now)}` : 'done';
  }
  if (task.due_date && Date.parse(task.due_date) < now.getTime()) return 'overdue';
  return task.status === 'in_progress' ? 'in progress' : 'to do';
}
