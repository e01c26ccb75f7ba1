import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, so 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size now (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(match[1]) / 1024;
}

/** The command line a pid runs, to check it is the process the benchmark started. */
export function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
}

export interface UsageWindow {
  seconds: number;
  /** CPU used over the window, in percent of one core. */
  cpuPercent: number;
  meanRssMiB: number;
  maxRssMiB: number;
}

/**
 * Samples a process's RSS every `intervalMs` for `seconds` and its CPU time at both ends: what it
 * costs to hold whatever state it is in for that long.
 */
export async function sampleUsage(
  pid: number,
  seconds: number,
  intervalMs = 1000,
): Promise<UsageWindow> {
  const rss: number[] = [rssMiB(pid)];
  const cpuStart = cpuSeconds(pid);
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    rss.push(rssMiB(pid));
  }
  const elapsed = (performance.now() - start) / 1000;
  return {
    seconds: elapsed,
    cpuPercent: ((cpuSeconds(pid) - cpuStart) / elapsed) * 100,
    meanRssMiB: rss.reduce((a, b) => a + b, 0) / rss.length,
    maxRssMiB: Math.max(...rss),
  };
}

/** The machine's 1-minute load average: how many runnable processes the numbers shared it with. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
