import { useState, type FormEvent } from 'react';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useChangePassword } from './account-queries';

const FIELDS = ['current_password', 'new_password'];

export function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  // Checked here: the API never sees the repeat.
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword();
  const error = change.error ? describeError(change.error) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const differs = next !== repeat;
    setMismatch(differs);
    if (differs) return;
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <ErrorMessage view={error} extra={otherFieldMessages(error, FIELDS)} />
      {change.isSuccess && (
        <p role="status" className="notice">
          Password changed. Your other devices and browsers were signed out; this one stays signed
          in.
        </p>
      )}
      <Field label="Current password" error={fieldMessage(error, 'current_password')}>
        <input
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field
        label="New password"
        hint="At least 8 characters."
        error={fieldMessage(error, 'new_password')}
      >
        <input
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </Field>
      <Field
        label="New password again"
        error={mismatch ? 'Does not match the new password.' : undefined}
      >
        <input
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </Field>
      <button type="submit" className="primary" disabled={change.isPending}>
        {change.isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
