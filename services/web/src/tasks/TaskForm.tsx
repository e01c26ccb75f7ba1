import { useState, type FormEvent } from 'react';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { RepeatFields, type RepeatChange } from '../repeat/RepeatFields';
import { fromLocalInput, toMinute } from '../time/zoned-time';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import type { TaskFormValues } from './task-form-values';
import { PRIORITIES } from './task-types';

const SHOWN_FIELDS = ['title', 'description', 'priority', 'tags', 'due_date', 'recurrence'];

interface TaskFormProps {
  initial: TaskFormValues;
  zone: string;
  /** A saved series' own zone; new rules follow the profile's. */
  ruleZone?: string | undefined;
  submitLabel: string;
  submitting: boolean;
  error: unknown;
  onSubmit: (values: TaskFormValues) => void;
  onCancel: () => void;
}

export function TaskForm(props: TaskFormProps) {
  const { zone } = props;
  const [values, setValues] = useState(props.initial);
  const set = <K extends keyof TaskFormValues>(key: K, value: TaskFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const error = props.error ? describeError(props.error) : undefined;

  const [repeatIncomplete, setRepeatIncomplete] = useState<string | undefined>();
  const [blocked, setBlocked] = useState(false);
  const start = fromLocalInput(values.due, zone) ?? toMinute(zone, new Date());

  const changeRepeat = (change: RepeatChange) => {
    const { incomplete, ...fields } = change;
    setValues((current) => ({ ...current, ...fields }));
    if ('incomplete' in change) {
      setRepeatIncomplete(incomplete);
      if (!incomplete) setBlocked(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The builder says beside its input what is missing; saving the last finished rule instead
    // would save something the user is still changing.
    if (repeatIncomplete) {
      setBlocked(true);
      return;
    }
    props.onSubmit(values);
  };

  return (
    <form onSubmit={submit} noValidate className="task-form">
      <ErrorMessage view={error} extra={otherFieldMessages(error, SHOWN_FIELDS)} />
      <Field label="Title" error={fieldMessage(error, 'title')}>
        <input required value={values.title} onChange={(e) => set('title', e.target.value)} />
      </Field>
      <Field label="Description" error={fieldMessage(error, 'description')}>
        <textarea
          rows={3}
          value={values.description}
          onChange={(e) => set('description', e.target.value)}
        />
      </Field>
      <div className="row">
        <Field label="Priority" error={fieldMessage(error, 'priority')}>
          <select
            value={values.priority}
            onChange={(e) => set('priority', e.target.value as TaskFormValues['priority'])}
          >
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {priority[0]!.toUpperCase() + priority.slice(1)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Due"
          hint={`In your time zone, ${zone}.`}
          error={fieldMessage(error, 'due_date')}
        >
          <input
            type="datetime-local"
            value={values.due}
            onChange={(e) => set('due', e.target.value)}
          />
        </Field>
      </div>
      <Field label="Tags" hint="Separated by commas." error={fieldMessage(error, 'tags')}>
        <input value={values.tags} onChange={(e) => set('tags', e.target.value)} />
      </Field>
      <RepeatFields
        rrule={values.rrule}
        anchor={values.anchor}
        overdue={values.overdue}
        start={start}
        zone={props.ruleZone ?? zone}
        saveError={error}
        onChange={changeRepeat}
      />
      {blocked && repeatIncomplete && (
        <p role="alert" className="field-error">
          Finish the repeat rule first: {repeatIncomplete}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={props.submitting}>
          {props.submitting ? 'Saving…' : props.submitLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
