import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startJaeger, type RunningJaeger } from './jaeger.js';
import { ensureJaeger } from './tools.js';

/** Where ensure-jaeger.sh caches its build (keep in step with the script). */
const CACHED = join(
  process.env.TODO_CACHE_DIR ?? join(homedir(), '.cache/todo-platform'),
  `jaeger-${process.env.JAEGER_VERSION ?? 'v1.76.0'}/jaeger-all-in-one`,
);

/**
 * `pnpm dev:dapr`'s Jaeger: started when one is at hand (JAEGER, or the build the e2e suite
 * cached) or asked for with DEV_JAEGER=on (which builds it, minutes the first time); DEV_JAEGER=off
 * skips it. Without it the stack runs untraced.
 */
export async function startDevJaeger(
  log: (line: string) => void,
): Promise<RunningJaeger | undefined> {
  const wanted = process.env.DEV_JAEGER;
  if (wanted === 'off') return undefined;
  if (wanted !== 'on' && !process.env.JAEGER && !existsSync(CACHED)) {
    log('no Jaeger built yet: DEV_JAEGER=on builds one (minutes, once) and traces the stack');
    return undefined;
  }
  const jaeger = await startJaeger({
    binary: await ensureJaeger(log),
    queryPort: Number(process.env.JAEGER_PORT ?? 16686),
    // Its own lines are noise beside the services'; errors still show.
    log: (line) => {
      if (/"level":"(error|fatal)"/.test(line)) log(`[jaeger] ${line}`);
    },
  });
  log(
    `jaeger: ${jaeger.queryUrl} (a completion's trace: Search, service task-api, operation POST /api/tasks/{id}/complete)`,
  );
  return jaeger;
}
