import { eventually as poll } from '@todo/service-runtime/testing';

/**
 * The fault suite's poll, in its old shape (what, probe, done, timeout), on the one poll loop of
 * `@todo/service-runtime/testing`. New code calls that `eventually` directly; this goes once the
 * fault suite does.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  let last: T | undefined;
  try {
    const found = await poll(
      async () => {
        last = await probe();
        return done(last) && { value: last };
      },
      { what, timeoutMs, intervalMs: 250 },
    );
    return found.value;
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; last value: ${JSON.stringify(last)}`,
      { cause: error },
    );
  }
}
