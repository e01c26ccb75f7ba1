import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { serviceNode } from '@todo/stack-harness';
import { productionNodeFlags } from './production-flags.js';

/** Peak resident set size of a process so far (Linux VmHWM), in MiB. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type Row = Record<string, string | number | undefined>;

export function markdownTable(rows: Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`),
  ].join('\n');
}

/**
 * Node.js flags for a service under benchmark: production's (its heap ceiling), plus a V8 CPU
 * profile with BENCH_CPU_PROFILE_DIR=<dir> (open it in Chrome DevTools or speedscope).
 */
export function serviceNodeArgs(service: 'task-api' | 'recurrence-engine'): string[] {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  return [
    ...productionNodeFlags(service),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    // More flags for both services, after the deployment's (a later V8 flag wins), to try one or
    // to preload a probe such as src/gc-profile.mjs.
    ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
  ];
}

/** The version of the Node.js the services run on (STACK_SERVICE_NODE, or this process's). */
export function serviceNodeVersion(): string {
  return execFileSync(serviceNode(), ['--version'], { encoding: 'utf8' }).trim();
}
