/** Never wait longer than this between attempts, however many failed. */
const MAX_DELAY_MS = 30_000;

/**
 * How long to wait before reconnecting: the server's `retry:` hint after a clean end, doubled per
 * consecutive failure up to 30 s, with jitter so clients cut off together do not return together.
 */
export function reconnectDelay(
  retryHintMs: number,
  consecutiveFailures: number,
  random = Math.random,
): number {
  const ceiling = Math.min(MAX_DELAY_MS, retryHintMs * 2 ** consecutiveFailures);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
