import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useAuth } from './auth-context';

export function SignInPage() {
  const auth = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({ mutationFn: () => auth.signIn(email, password) });
  const error = signIn.error ? describeError(signIn.error) : undefined;
  const notice = auth.state.status === 'signed-out' ? auth.state.notice : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {notice && !error && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <ErrorMessage view={error} extra={otherFieldMessages(error, ['email', 'password'])} />
        <Field label="Email" error={fieldMessage(error, 'email')}>
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password" error={fieldMessage(error, 'password')}>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  );
}
