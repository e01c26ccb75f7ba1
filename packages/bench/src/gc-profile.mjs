// Preloaded into a service (`BENCH_NODE_ARGS="--import <this file>"`, see the README's "Memory"):
// V8's GC profile over the process's life, summed per HTTP request and written on exit to
// <tmpdir>/gc-profile-<service>-<pid>.json. What it adds to the measured process: one counter per
// request and V8's own per-GC statistics.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import v8 from 'node:v8';

const MiB = 1024 * 1024;
const profiler = new v8.GCProfiler();
let requests = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function countRequests(event, ...args) {
  if (event === 'request') requests += 1;
  return emit.call(this, event, ...args);
};
profiler.start();

const space = (heap, name) => heap.heapSpaceStatistics.find((s) => s.spaceName === name);

process.on('exit', () => {
  const { statistics, startTime, endTime } = profiler.stop();
  let youngAllocated = 0;
  let promoted = 0;
  let pauseMs = 0;
  let youngAfterLast = 0;
  const collections = {};
  for (const gc of statistics) {
    collections[gc.gcType] = (collections[gc.gcType] ?? 0) + 1;
    pauseMs += gc.cost / 1000;
    // What the young generation gained since the last collection of any kind left it.
    youngAllocated += space(gc.beforeGC, 'new_space').spaceUsedSize - youngAfterLast;
    youngAfterLast = space(gc.afterGC, 'new_space').spaceUsedSize;
    // What a scavenge moved to the old generation.
    if (gc.gcType === 'Scavenge') {
      promoted +=
        space(gc.afterGC, 'old_space').spaceUsedSize -
        space(gc.beforeGC, 'old_space').spaceUsedSize;
    }
  }
  const service = basename(dirname(dirname(process.argv[1] ?? 'unknown/unknown/x')));
  const perRequest = (bytes) => (requests ? Math.round(bytes / requests / 1024) : null);
  writeFileSync(
    join(tmpdir(), `gc-profile-${service}-${process.pid}.json`),
    JSON.stringify(
      {
        seconds: (endTime - startTime) / 1000,
        requests,
        collections,
        pauseMs: Math.round(pauseMs),
        youngAllocatedMiB: Math.round(youngAllocated / MiB),
        promotedMiB: Math.round(promoted / MiB),
        youngAllocatedKiBPerRequest: perRequest(youngAllocated),
        promotedKiBPerRequest: perRequest(promoted),
        pauseMsPerRequest: requests ? Number((pauseMs / requests).toFixed(3)) : null,
      },
      null,
      2,
    ),
  );
});
