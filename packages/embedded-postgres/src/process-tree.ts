import { readdirSync, readFileSync } from 'node:fs';

/** A process, identified by pid and start time so that a reused pid is not taken for it. */
export interface ProcessId {
  pid: number;
  start: string;
}

interface Stat extends ProcessId {
  ppid: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

/** `pid` and all its descendants now (Linux; elsewhere just `pid`, start unknown). */
export function processTree(pid: number): ProcessId[] {
  const self = stat(pid);
  if (!self) return [{ pid, start: '' }];
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((entry): entry is Stat => entry !== undefined);
  const tree: ProcessId[] = [{ pid: self.pid, start: self.start }];
  for (let i = 0; i < tree.length; i += 1) {
    for (const entry of all)
      if (entry.ppid === tree[i]!.pid) tree.push({ pid: entry.pid, start: entry.start });
  }
  return tree;
}

/** Whether this very process (same pid, same start time) still exists, zombies included. */
export function exists(process_: ProcessId): boolean {
  const now = stat(process_.pid);
  if (now) return process_.start === '' || now.start === process_.start;
  try {
    process.kill(process_.pid, 0);
    return process_.start === '';
  } catch {
    return false;
  }
}
