import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { browserZone } from '../time/zoned-time';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useAuth, type RegisterRequest } from './auth-context';

const FIELDS = ['email', 'password', 'name', 'timezone'];

export function SignUpPage() {
  const auth = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const signUp = useMutation({
    mutationFn: () => {
      const request: RegisterRequest = { email, password, timezone };
      if (name.trim()) request.name = name.trim();
      return auth.signUp(request);
    },
  });
  const error = signUp.error ? describeError(signUp.error) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate();
  };

  return (
    <main className="narrow">
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate>
        <ErrorMessage view={error} extra={otherFieldMessages(error, FIELDS)} />
        <Field label="Email" error={fieldMessage(error, 'email')}>
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field
          label="Password"
          hint="At least 8 characters; a phrase of a few words is easiest to remember."
          error={fieldMessage(error, 'password')}
        >
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Field label="Name (optional)" error={fieldMessage(error, 'name')}>
          <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field
          label="Time zone"
          hint="Due dates and repeats use this zone."
          error={fieldMessage(error, 'timezone')}
        >
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </main>
  );
}
