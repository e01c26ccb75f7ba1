const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Maybe<T> = T | undefined | false | null;

/**
 * Polls `check` until it returns (or resolves to) something truthy and resolves with that. A
 * throw counts as "not yet": a probe of something still starting often fails before it answers.
 * Past the deadline it rejects naming `what` and, if `check` threw, the last thing it threw (also
 * the error's cause), which usually says more than "timed out" does.
 */
export async function eventually<T>(
  check: () => Maybe<T> | Promise<Maybe<T>>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, what = 'a condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = { error };
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const because = lastError
        ? `; the last error it threw: ${lastError.error instanceof Error ? lastError.error.message : String(lastError.error)}`
        : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${because}`,
        lastError && { cause: lastError.error },
      );
    }
    await sleep(Math.min(intervalMs, left));
  }
}
