// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { dataOf } from '../src/api/api-error';
import type { TaskApi } from '../src/api/task-api';
import { AuthContext, type Auth } from '../src/auth/auth-context';
import { SignInPage } from '../src/auth/SignInPage';

afterEach(cleanup);

/** The page with an auth whose sign-in gets `response` back, read as the app reads answers. */
function renderWithAnswer(response: Response) {
  const auth: Auth = {
    state: { status: 'signed-out' },
    api: {} as TaskApi,
    async signIn() {
      const error: unknown = await response.clone().json();
      dataOf({ error, response });
    },
    signUp: () => Promise.resolve(),
    signOut: () => Promise.resolve(),
    userChanged: () => undefined,
    sessionEnded: () => undefined,
    retryRestore: () => undefined,
  };
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AuthContext.Provider value={auth}>
        <MemoryRouter>
          <SignInPage />
        </MemoryRouter>
      </AuthContext.Provider>
    </QueryClientProvider>,
  );
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('SignInPage', () => {
  it('shows the API’s message beside the field it names, tied to the input', async () => {
    renderWithAnswer(
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'invalid request',
          details: [{ field: 'email', message: 'invalid email address' }],
        },
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const message = await screen.findByText('Invalid email address');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe(message.id);
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('Invalid request');
  });

  it('says how long to wait when signing in is rate limited', async () => {
    renderWithAnswer(
      json(
        429,
        { error: { code: 'rate_limited', message: 'too many requests' } },
        { 'retry-after': '40' },
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('wait 40 seconds');
  });
});
