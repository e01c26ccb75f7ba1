import type { SignedUpUser } from '@todo/stack-harness';

/** Creates `count` daily tasks for `user`, `concurrency` requests at a time; returns their ids. */
export async function createRecurring(
  user: SignedUpUser,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, count - i) }, (_, j) =>
        user.create({
          title: `Bench ${i + j}`,
          due_date: '2030-06-03T09:00:00+02:00',
          recurring_type: 'daily',
        }),
      ),
    );
    ids.push(...batch.map((task) => task.id));
  }
  return ids;
}

/**
 * Completes one task every 1/rate seconds, whether or not earlier ones have answered (how users
 * load a system); `onSend` is told just before each request leaves.
 */
export async function completePaced(
  user: SignedUpUser,
  ids: string[],
  rate: number,
  onSend: (id: string) => void = () => {},
): Promise<void> {
  const start = performance.now();
  await Promise.all(
    ids.map(async (id, i) => {
      const due = start + (i * 1000) / rate - performance.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      onSend(id);
      const { status } = await user.complete(id);
      if (status !== 200) throw new Error(`completing ${id} answered ${status}`);
    }),
  );
}
