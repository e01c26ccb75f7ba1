/**
 * Live stream benchmark (`GET /api/tasks/stream`) on the system as `pnpm dev` runs it (task-api
 * and the engine, direct transport, PostgreSQL; services compiled with their deployment's flags):
 * how long after the engine commits a child its event reaches a connected client, and what 1,000
 * idle streams cost task-api in memory and CPU. Latency is timed from PostgreSQL's commit
 * timestamp of the change to the moment the client (`@todo/api-client`) parses the event. Prints
 * numbers; asserts nothing.
 */
import { fileURLToPath } from 'node:url';
import { runThenStop } from '@todo/local-stack';
import { eventually } from '@todo/service-runtime/testing';
import { signUp, type SignedUpUser } from '@todo/stack-harness';
import { changeCommitTimes } from './commit-timestamps.js';
import { markdownTable, peakRssMiB, percentile, type Row } from './measure.js';
import { cpuSeconds, loadAverage, rssMiB, sampleUsage, type UsageWindow } from './process-usage.js';
import { completePaced, createRecurring } from './recurring-load.js';
import {
  listenToTaskStream,
  nowMs,
  type Delivery,
  type StreamListener,
} from './stream-listener.js';
import { startStreamStack, type StreamStack } from './stream-stack.js';

/** Completions per second, and for how long, in each latency run. */
const RATE = Number(process.env.BENCH_STREAM_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 30);
/** Idle streams held open, spread over this many users (task-api caps streams per user). */
const IDLE_STREAMS = Number(process.env.BENCH_STREAM_IDLE ?? 1000);
const IDLE_USERS = Number(process.env.BENCH_STREAM_USERS ?? 25);
const HOLD_SECONDS = Number(process.env.BENCH_STREAM_HOLD_S ?? 30);
/** Rounds of one change per idle user, delivered to each of that user's streams. */
const FANOUT_ROUNDS = Number(process.env.BENCH_STREAM_FANOUT_ROUNDS ?? 4);
const PER_USER = Math.ceil(IDLE_STREAMS / IDLE_USERS);
// task-api's default heartbeat, stated so the report can say what the idle streams carried.
const HEARTBEAT_SECONDS = 15;
const WARM_UP_COMPLETIONS = 100;

const round1 = (value: number) => Math.round(value * 10) / 10;
// Progress on stderr: a run takes minutes, and the table is printed only at the end.
const progress = (line: string) => process.stderr.write(`[bench:stream] ${line}\n`);

function latencyRow(measure: string, openStreams: number, values: number[]): Row {
  return {
    measure,
    'streams open': openStreams,
    samples: values.length,
    'p50 ms': round1(percentile(values, 0.5)),
    'p95 ms': round1(percentile(values, 0.95)),
    'p99 ms': round1(percentile(values, 0.99)),
    'max ms': round1(Math.max(...values)),
    // On a shared 2-core machine the tail follows the load more than the code.
    'load avg (1 min)': loadAverage(),
  };
}

function usageRow(state: string, streams: number, usage: UsageWindow): Row {
  return {
    'task-api': state,
    streams,
    seconds: round1(usage.seconds),
    'CPU % of one core': round1(usage.cpuPercent),
    'mean RSS MiB': Math.round(usage.meanRssMiB),
    'max RSS MiB': Math.round(usage.maxRssMiB),
  };
}

/** When each delivery's change committed (epoch ms), by change id (seq). */
async function commitTimes(stack: StreamStack, deliveries: Delivery[]) {
  const ids = [...new Set(deliveries.map((d) => d.event.id))];
  const committed = await changeCommitTimes(stack.sql, ids);
  return (id: string): number => {
    const at = committed.get(id);
    if (at === undefined) throw new Error(`no commit timestamp for change ${id}`);
    return at;
  };
}

/** Milliseconds from each delivery's change commit to its arrival. */
async function commitToReceive(stack: StreamStack, deliveries: Delivery[]): Promise<number[]> {
  const committedAt = await commitTimes(stack, deliveries);
  return deliveries.map((d) => d.receivedAtMs - committedAt(d.event.id));
}

/** Waits until the stream has brought one `created` child of each parent; by parent id. */
function childrenReceived(listener: StreamListener, parentIds: string[]) {
  const parents = new Set(parentIds);
  return eventually(
    () => {
      const children = new Map<string, Delivery>();
      for (const delivery of listener.deliveries) {
        const { event } = delivery;
        if (event.event !== 'created') continue;
        const parent = event.data.task.parent_task_id;
        if (parent !== null && parents.has(parent)) children.set(parent, delivery);
      }
      return children.size === parents.size && children;
    },
    { what: `the children of ${parents.size} completions on the stream`, timeoutMs: 120_000 },
  );
}

/**
 * One user with one stream completes recurring tasks at RATE for SECONDS (after a warm-up that is
 * not measured). Per completion: the engine's child and the completion itself, each from its
 * commit to the client; and from sending the completion to the child arriving (what the user sees).
 */
async function completionLatency(stack: StreamStack, otherStreams: number): Promise<Row[]> {
  const user = await signUp(stack.api.url);
  const count = Math.round(RATE * SECONDS);
  const ids = await createRecurring(user, WARM_UP_COMPLETIONS + count, 20);
  const warmUp = ids.slice(0, WARM_UP_COMPLETIONS);
  const measured = ids.slice(WARM_UP_COMPLETIONS);
  const listener = listenToTaskStream(stack.api.url, user);
  return runThenStop(async () => {
    await allReady([listener], 'the stream ready');
    progress(`one stream open; ${WARM_UP_COMPLETIONS} completions to warm up`);
    // Not measured: JIT, pools and statement caches warm up.
    await completePaced(user, warmUp, RATE);
    await childrenReceived(listener, warmUp);

    progress(`${count} completions at ${RATE}/s, ${otherStreams} other streams open`);
    const sentAt = new Map<string, number>();
    await completePaced(user, measured, RATE, (id) => sentAt.set(id, nowMs()));
    const children = [...(await childrenReceived(listener, measured)).entries()];
    const measuredSet = new Set(measured);
    const completions = new Map(
      listener.deliveries.flatMap((delivery) =>
        delivery.event.event === 'completed' && measuredSet.has(delivery.event.data.task.id)
          ? [[delivery.event.data.task.id, delivery] as const]
          : [],
      ),
    );
    const committedAt = await commitTimes(stack, [
      ...children.map(([, child]) => child),
      ...completions.values(),
    ]);
    const streams = otherStreams + 1;
    return [
      latencyRow(
        `engine's child: commit → client (${count} completions at ${RATE}/s)`,
        streams,
        children.map(([, child]) => child.receivedAtMs - committedAt(child.event.id)),
      ),
      latencyRow(
        `task-api's completion: commit → client`,
        streams,
        [...completions.values()].map((d) => d.receivedAtMs - committedAt(d.event.id)),
      ),
      latencyRow(
        `(context) completion committed → child committed (direct transport, engine)`,
        streams,
        children.map(
          ([parent, child]) =>
            committedAt(child.event.id) - committedAt(completions.get(parent)!.event.id),
        ),
      ),
      latencyRow(
        `(context) completion sent → its child on the stream`,
        streams,
        children.map(([parent, child]) => child.receivedAtMs - sentAt.get(parent)!),
      ),
    ];
  }, [() => listener.close()]);
}

interface IdleUser {
  user: SignedUpUser;
  listeners: StreamListener[];
}

/**
 * Each idle user changes one task per round (a create, a round at a time); the change is timed
 * from its commit to each of that user's streams, and to the last of them.
 */
async function fanOut(stack: StreamStack, users: IdleUser[]): Promise<Row[]> {
  const each: Delivery[] = [];
  const lastOfEach: Delivery[] = [];
  for (let r = 0; r < FANOUT_ROUNDS; r += 1) {
    const created = await Promise.all(
      users.map(async ({ user }, i) => {
        // Spread over the round, so the changes do not all land at once.
        await new Promise((resolve) => setTimeout(resolve, i * 40));
        return user.create({ title: `Fan-out ${r}` });
      }),
    );
    // One poll over every stream (not one per stream), so waiting costs this process little.
    const arrived = await eventually(
      () => {
        const found = users.map(({ listeners }, i) =>
          listeners.map((listener) =>
            listener.deliveries.find(
              ({ event }) => event.event === 'created' && event.data.task.id === created[i]!.id,
            ),
          ),
        );
        return found.every((perUser) => perUser.every(Boolean)) && (found as Delivery[][]);
      },
      { what: `round ${r}'s changes on every stream of their users`, timeoutMs: 30_000 },
    );
    for (const perUser of arrived) {
      each.push(...perUser);
      lastOfEach.push(
        perUser.reduce((last, delivery) =>
          delivery.receivedAtMs > last.receivedAtMs ? delivery : last,
        ),
      );
    }
  }
  const open = users.reduce((n, { listeners }) => n + listeners.length, 0);
  return [
    latencyRow(
      `fan-out: one user's change → each of its ${PER_USER} streams`,
      open,
      await commitToReceive(stack, each),
    ),
    latencyRow(
      `fan-out: one user's change → the last of its ${PER_USER} streams`,
      open,
      await commitToReceive(stack, lastOfEach),
    ),
  ];
}

/** Waits until every stream has had its `ready` event (connected and subscribed). */
async function allReady(listeners: StreamListener[], what: string): Promise<void> {
  await eventually(() => listeners.every((listener) => listener.isReady()), {
    what,
    timeoutMs: 120_000,
    intervalMs: 100,
  });
}

/**
 * IDLE_STREAMS streams over IDLE_USERS users, opened at once and held HOLD_SECONDS: task-api's CPU
 * and memory while opening and holding them, against a window with none open. With them still
 * open, `whileOpen` runs (the fan-out and the latency runs under that load).
 */
async function idleStreams(
  stack: StreamStack,
  whileOpen: (users: IdleUser[]) => Promise<void>,
): Promise<{ resources: Row[]; summary: string[] }> {
  const pid = stack.api.pid()!;
  progress('task-api with no streams: sampling 10 s');
  const none = await sampleUsage(pid, 10);
  const users: IdleUser[] = [];
  for (let i = 0; i < IDLE_USERS; i += 1) {
    users.push({ user: await signUp(stack.api.url), listeners: [] });
  }
  const cpuBefore = cpuSeconds(pid);
  const openedFrom = performance.now();
  for (let i = 0; i < IDLE_STREAMS; i += 1) {
    const slot = users[i % IDLE_USERS]!;
    slot.listeners.push(listenToTaskStream(stack.api.url, slot.user));
  }
  const listeners = users.flatMap((u) => u.listeners);
  return runThenStop(
    async () => {
      await allReady(listeners, `${IDLE_STREAMS} streams ready`);
      const openSeconds = (performance.now() - openedFrom) / 1000;
      const opening: UsageWindow = {
        seconds: openSeconds,
        cpuPercent: ((cpuSeconds(pid) - cpuBefore) / openSeconds) * 100,
        meanRssMiB: rssMiB(pid),
        maxRssMiB: rssMiB(pid),
      };
      progress(
        `${IDLE_STREAMS} streams open in ${round1(openSeconds)} s; holding them ${HOLD_SECONDS} s`,
      );
      const hold = await sampleUsage(pid, HOLD_SECONDS);
      await whileOpen(users);
      const reconnects = listeners.reduce((n, listener) => n + listener.reconnects(), 0);
      const perStreamKiB = ((hold.meanRssMiB - none.meanRssMiB) * 1024) / IDLE_STREAMS;
      return {
        resources: [
          usageRow('no streams open, idle', 0, none),
          usageRow(
            `opening ${IDLE_STREAMS} streams (${IDLE_USERS} users × ${PER_USER})`,
            IDLE_STREAMS,
            opening,
          ),
          usageRow(
            `holding them idle (heartbeat every ${HEARTBEAT_SECONDS} s)`,
            IDLE_STREAMS,
            hold,
          ),
        ],
        summary: [
          `${IDLE_STREAMS} idle streams held: ${reconnects} reconnects; task-api RSS about ${Math.round(perStreamKiB)} KiB per stream over none open.`,
        ],
      };
    },
    listeners.map((listener) => () => listener.close()),
  );
}

export interface StreamBenchResult {
  latency: Row[];
  resources: Row[];
  memory: Row[];
  summary: string[];
}

export async function streamBench(): Promise<StreamBenchResult> {
  if (PER_USER > 100)
    throw new Error('STREAM_MAX_PER_USER is at most 100: raise BENCH_STREAM_USERS');
  const stack = await startStreamStack({
    // The default cap is 5 streams per user on one replica; 1,000 over 25 users need 40 each.
    STREAM_MAX_PER_USER: String(Math.max(5, PER_USER)),
    // The replica's cap (2,000 by default) must not refuse the bench's own streams.
    STREAM_MAX_OPEN: String(Math.max(2000, IDLE_STREAMS + 10)),
  });
  return runThenStop(async () => {
    const latency = await completionLatency(stack, 0);
    const { resources, summary } = await idleStreams(stack, async (users) => {
      progress(`fan-out: ${FANOUT_ROUNDS} rounds of one change per user`);
      latency.push(...(await fanOut(stack, users)));
      latency.push(...(await completionLatency(stack, IDLE_STREAMS)));
    });
    const memory = [
      { process: 'task-api (stream load)', 'peak RSS MiB': peakRssMiB(stack.api.pid()) },
      // It commits every child the latency runs wait for (direct transport: no sidecar).
      { process: 'recurrence-engine', 'peak RSS MiB': peakRssMiB(stack.engine.pid()) },
    ];
    return { latency, resources, memory, summary };
  }, [() => stack.close()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { latency, resources, memory, summary } = await streamBench();
  process.stdout.write(
    `${markdownTable(latency)}\n\n${markdownTable(resources)}\n\n${markdownTable(memory)}\n\n${summary.join('\n')}\n`,
  );
  process.exit(0);
}
