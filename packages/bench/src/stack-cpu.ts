import { readFileSync } from 'node:fs';
import type { AppWithSidecar, Stack } from '@todo/stack-harness';
import { pidListeningOn, treeCpuSeconds } from './process-tree.js';

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface StackProcess {
  process: string;
  pid: number;
}

/** The stack's processes whose CPU a bench reports: the services, their sidecars, Kafka, PostgreSQL. */
export function stackProcesses(
  stack: Stack,
  engines: AppWithSidecar[] = stack.engines,
): StackProcess[] {
  return [
    { process: 'task-api', pid: stack.api.app.pid()! },
    { process: 'task-api daprd', pid: pidListeningOn(stack.api.sidecar.httpPort) },
    ...engineProcesses(engines),
    { process: 'kafka', pid: pidListeningOn(stack.kafka.port) },
    { process: 'postgresql (all backends)', pid: stack.postgresPid!() },
  ];
}

export function engineProcesses(engines: AppWithSidecar[]): StackProcess[] {
  return engines.flatMap((engine, i) => [
    { process: `engine ${i + 1}`, pid: engine.app.pid()! },
    { process: `engine ${i + 1} daprd`, pid: pidListeningOn(engine.sidecar.httpPort) },
  ]);
}

/** CPU seconds the whole machine has spent busy (not idle, not waiting on I/O), every process. */
export function machineBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = fields.map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const busy = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0) - ticks[3]! - ticks[4]!;
  return busy / TICKS_PER_SECOND;
}

/**
 * CPU seconds per process (and the machine's) from this call to `stop()`, with this bench's own
 * process: what a run cost, and which process saturated which share of the cores.
 */
export function cpuWindow(processes: StackProcess[]) {
  const before = processes.map((p) => treeCpuSeconds(p.pid));
  const machineBefore = machineBusySeconds();
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  return {
    stop(run: string, completions: number) {
      const seconds = (performance.now() - started) / 1000;
      const bench = process.cpuUsage(benchBefore);
      const rows = [
        ...processes.map((p, i) => ({
          process: p.process,
          cpu: treeCpuSeconds(p.pid) - before[i]!,
        })),
        { process: 'the bench (load generator)', cpu: (bench.user + bench.system) / 1e6 },
        { process: 'machine (every process)', cpu: machineBusySeconds() - machineBefore },
      ];
      return rows.map(({ process: name, cpu }) => ({
        run,
        process: name,
        'CPU s': round(cpu, 2),
        'cores busy': round(cpu / seconds, 2),
        'CPU ms per completion': round((cpu / completions) * 1000, 2),
      }));
    },
  };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
