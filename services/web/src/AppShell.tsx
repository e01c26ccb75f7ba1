import { useState } from 'react';
import { Link, Outlet } from 'react-router';
import { useAuth, useSignedIn } from './auth/auth-context';
import { ConnectionStatus } from './stream/ConnectionStatus';
import { useOnline } from './stream/use-online';
import { useTaskStream } from './stream/use-task-stream';

/** The signed-in frame: who is signed in, whether changes arrive live, and the page. */
export function AppShell() {
  const { user, api } = useSignedIn();
  const { signOut, sessionEnded } = useAuth();
  const status = useTaskStream(api, sessionEnded);
  const online = useOnline();
  const [signingOut, setSigningOut] = useState(false);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Todo
        </Link>
        <ConnectionStatus status={status} online={online} />
        <div className="account">
          <Link to="/account" className="who" title={`Times are shown in ${user.timezone}`}>
            <span className="visually-hidden">Account: </span>
            {user.name ?? user.email} · {user.timezone}
          </Link>
          <button
            type="button"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              // Signed out here whatever the answer: the page forgets the session either way.
              signOut().catch(() => undefined);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
