// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../src/stream/ConnectionStatus';

afterEach(cleanup);

describe('ConnectionStatus', () => {
  it('tells whether changes arrive live, as a polite status', () => {
    const { rerender } = render(<ConnectionStatus status={{ state: 'live' }} online />);
    expect(screen.getByRole('status').textContent).toBe('Live');
    rerender(<ConnectionStatus status={{ state: 'reconnecting', delayMs: 2000 }} online />);
    expect(screen.getByRole('status').textContent).toContain('reconnecting');
    rerender(<ConnectionStatus status={{ state: 'live' }} online={false} />);
    expect(screen.getByRole('status').textContent).toContain('Offline');
  });
});
