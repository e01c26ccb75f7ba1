import { Navigate, Outlet, useLocation } from 'react-router';
import { describeError } from '../api/api-error';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useAuth } from './auth-context';

function Restoring() {
  return (
    <p className="page-status" role="status">
      Loading…
    </p>
  );
}

function RestoreFailed({ error }: { error: unknown }) {
  const { retryRestore } = useAuth();
  return (
    <main className="narrow">
      <ErrorMessage view={describeError(error)} />
      <button type="button" onClick={retryRestore}>
        Try again
      </button>
    </main>
  );
}

/** Pages for a signed-in user; others go to the sign-in page and come back after. */
export function RequireSignedIn() {
  const { state } = useAuth();
  const location = useLocation();
  switch (state.status) {
    case 'restoring':
      return <Restoring />;
    case 'restore-failed':
      return <RestoreFailed error={state.error} />;
    case 'signed-out':
      return (
        <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />
      );
    case 'signed-in':
      return <Outlet />;
  }
}

/** The sign-in and sign-up pages; a signed-in user goes on to where they were headed. */
export function RequireSignedOut() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'restoring') return <Restoring />;
  if (state.status === 'signed-in') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from ?? '/'} replace />;
  }
  return <Outlet />;
}
