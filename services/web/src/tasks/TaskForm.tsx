import { useState, type FormEvent } from 'react';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { formatDue, fromLocalInput, toMinute } from '../time/zoned-time';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import type { TaskFormValues } from './task-form-values';
import { PRIORITIES } from './task-types';
import { useRulePreview } from './use-rule-preview';

const SHOWN_FIELDS = [
  'title',
  'description',
  'priority',
  'tags',
  'due_date',
  'recurrence',
  'rrule',
];

/** Quick picks for the rule field; the full rule builder comes later. */
const RULE_PRESETS = [
  ['', 'Does not repeat'],
  ['FREQ=DAILY', 'Every day'],
  ['FREQ=WEEKLY', 'Every week'],
  ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
  ['FREQ=MONTHLY', 'Every month'],
  ['FREQ=YEARLY', 'Every year'],
] as const;

interface TaskFormProps {
  initial: TaskFormValues;
  zone: string;
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

  const start = fromLocalInput(values.due, zone) ?? toMinute(zone, new Date());
  const preview = useRulePreview(values.rrule, start, zone);
  const previewError = preview.error ? describeError(preview.error) : undefined;
  const preset = RULE_PRESETS.find(([rule]) => rule === values.rrule.trim())?.[0] ?? 'custom';

  const submit = (event: FormEvent) => {
    event.preventDefault();
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
      <fieldset className="repeat">
        <legend>Repeat</legend>
        <Field label="Quick pick">
          <select
            value={preset}
            onChange={(e) => {
              if (e.target.value !== 'custom') set('rrule', e.target.value);
            }}
          >
            {RULE_PRESETS.map(([rule, label]) => (
              <option key={rule} value={rule}>
                {label}
              </option>
            ))}
            <option value="custom" disabled>
              Custom rule
            </option>
          </select>
        </Field>
        <Field
          label="Rule (RRULE)"
          hint="For example FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"
          error={fieldMessage(error, 'recurrence', 'rrule') ?? fieldMessage(previewError, 'rrule')}
        >
          <input
            value={values.rrule}
            spellCheck={false}
            autoCapitalize="characters"
            onChange={(e) => set('rrule', e.target.value)}
          />
        </Field>
        <div aria-live="polite" className="rule-preview">
          {values.rrule.trim() && preview.data && (
            <p>
              Repeats <strong>{preview.data.description}</strong>
              {preview.data.occurrences.length > 0 &&
                `; next: ${preview.data.occurrences.map((at) => formatDue(at, zone, new Date())).join(', ')}`}
            </p>
          )}
          {previewError && !fieldMessage(previewError, 'rrule') && <p>{previewError.message}</p>}
        </div>
      </fieldset>
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
