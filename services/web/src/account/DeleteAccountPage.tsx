import { useState, type FormEvent } from 'react';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useDeleteAccount } from './account-queries';

export function DeleteAccountPage() {
  const { user } = useSignedIn();
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [unconfirmed, setUnconfirmed] = useState(false);
  const remove = useDeleteAccount();
  const error = remove.error ? describeError(remove.error) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setUnconfirmed(!understood);
    if (understood) remove.mutate(password);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete account</h2>
      <p>
        Deleting <strong>{user.email}</strong> removes every task and repeating series of it for
        good, and signs it out everywhere. This cannot be undone.
      </p>
      <ErrorMessage view={error} extra={otherFieldMessages(error, ['password'])} />
      <Field label="Password" hint="To confirm it is you." error={fieldMessage(error, 'password')}>
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={understood}
            aria-invalid={unconfirmed || undefined}
            aria-describedby={unconfirmed ? 'delete-unconfirmed' : undefined}
            onChange={(e) => {
              setUnderstood(e.target.checked);
              if (e.target.checked) setUnconfirmed(false);
            }}
          />
          I understand that my tasks are deleted for good
        </label>
        {unconfirmed && (
          <p id="delete-unconfirmed" className="field-error">
            Tick this box to confirm.
          </p>
        )}
      </div>
      <button type="submit" className="danger" disabled={remove.isPending}>
        {remove.isPending ? 'Deleting…' : 'Delete my account'}
      </button>
    </form>
  );
}
