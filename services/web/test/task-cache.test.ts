import { QueryClient, QueryObserver } from '@tanstack/react-query';
import type { StreamedTask, Task, TaskList } from '@todo/api-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTaskCache, SETTLE_DELAY_MS } from '../src/stream/task-cache';
import { taskKeys } from '../src/tasks/task-keys';
import { aPage, aTask } from './support/tasks';

describe('the task cache', () => {
  let queryClient: QueryClient;
  beforeEach(() => {
    vi.useFakeTimers();
    queryClient = new QueryClient();
  });
  afterEach(() => {
    queryClient.clear();
    vi.useRealTimers();
  });

  it('applies a change to every cached page by its own query, and to the task', () => {
    const open = { status: 'pending,in_progress' };
    const done = { status: 'done' };
    const task = aTask();
    queryClient.setQueryData(taskKeys.list(open), aPage([task]));
    queryClient.setQueryData(taskKeys.list(done), aPage([]));
    const cache = createTaskCache(queryClient);

    const completed: Task = { ...task, status: 'done', updated_at: '2026-03-02T10:00:00Z' };
    cache.apply({ kind: 'upsert', task: completed });

    expect(queryClient.getQueryData<TaskList>(taskKeys.list(open))?.items).toEqual([]);
    expect(queryClient.getQueryData<TaskList>(taskKeys.list(done))?.items).toEqual([completed]);
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toEqual(completed);
  });

  it('refetches the lists shown once changes stop coming', async () => {
    let fetches = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: taskKeys.list({}),
      queryFn: () => {
        fetches += 1;
        return aPage([]);
      },
      staleTime: Infinity,
    });
    // Subscribed, as a list on screen is.
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(1);

    const cache = createTaskCache(queryClient);
    cache.apply({ kind: 'upsert', task: aTask() });
    await vi.advanceTimersByTimeAsync(SETTLE_DELAY_MS / 2);
    cache.apply({ kind: 'upsert', task: aTask() });
    await vi.advanceTimersByTimeAsync(SETTLE_DELAY_MS - 1);
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetches).toBe(2);
    unsubscribe();
  });

  it('gives a change logged without a version the version of a cached copy of the same state', () => {
    const task = aTask({ version: 3 });
    queryClient.setQueryData(taskKeys.list({}), aPage([task]));
    const { version: _version, ...streamed }: StreamedTask = { ...task, title: 'same state' };
    createTaskCache(queryClient).apply({ kind: 'upsert', task: streamed });
    const cached = { ...task, title: 'same state' };
    expect(queryClient.getQueryData<TaskList>(taskKeys.list({}))?.items).toEqual([cached]);
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toEqual(cached);
  });

  it('reads a task again for another state logged without a version, instead of caching it', async () => {
    const task = aTask({ version: 3 });
    let fetched: Task | undefined;
    const observer = new QueryObserver(queryClient, {
      queryKey: taskKeys.detail(task.id),
      queryFn: () => (fetched = fetched ? { ...task, title: 'theirs', version: 4 } : task),
      staleTime: Infinity,
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toEqual(task);

    const { version: _version, ...streamed }: StreamedTask = {
      ...task,
      title: 'theirs',
      updated_at: '2026-03-02T10:00:00Z',
    };
    queryClient.setQueryData(taskKeys.list({}), aPage([task]));
    createTaskCache(queryClient).apply({ kind: 'upsert', task: streamed });
    // Nothing cached without a version: the copies stay as they were until the read answers.
    expect(queryClient.getQueryData<TaskList>(taskKeys.list({}))?.items).toEqual([task]);
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toEqual(task);
    expect(queryClient.getQueryState(taskKeys.list({}))?.isInvalidated).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toEqual({
      ...task,
      title: 'theirs',
      version: 4,
    });
    unsubscribe();
  });

  it('forgets a deleted task', () => {
    const task = aTask();
    queryClient.setQueryData(taskKeys.detail(task.id), task);
    createTaskCache(queryClient).apply({ kind: 'delete', taskId: task.id });
    expect(queryClient.getQueryData(taskKeys.detail(task.id))).toBeUndefined();
  });
});
