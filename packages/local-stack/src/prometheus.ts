import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  pipeLines,
  spawnGroup,
  stopChild,
  waitUntilReady,
} from './child-process.js';

/** One scrape target: its address and the labels its series get (`service`, as in Kubernetes). */
export interface ScrapeTarget {
  job: 'todo-services' | 'daprd';
  port: number;
  labels: Record<string, string>;
}

export interface PromqlSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  url: string;
  /** An instant query through the HTTP API (`/api/v1/query`): the vector's samples. */
  query(promql: string): Promise<PromqlSample[]>;
  /** Stops its process group and checks it is gone. */
  stop(): Promise<void>;
}

/** Debian's `prometheus` package (`.ci/run` installs it), or the binary PROMETHEUS names. */
export const PROMETHEUS_BINARY = process.env.PROMETHEUS ?? '/usr/bin/prometheus';

/** Seconds between scrapes: short, so a test sees a change within a few seconds. */
const SCRAPE_INTERVAL = '1s';

/**
 * A real Prometheus server on loopback scraping `targets`, as the monitoring component's
 * PodMonitor scrapes the pods (the services' `/metrics`, daprd's), its data in `dir`. Run as its
 * own process group, stopped and checked gone by `stop`. `pnpm dev:dapr` runs one beside the
 * stack; the e2e suite queries one.
 */
export async function startPrometheus(options: {
  dir: string;
  targets: ScrapeTarget[];
  log: (line: string) => void;
  /** Where its UI and API listen; a free port by default. */
  port?: number;
}): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BINARY))
    throw new Error(
      `${PROMETHEUS_BINARY} not found: install Debian's prometheus package (apt-get install prometheus), or set PROMETHEUS`,
    );
  await mkdir(options.dir, { recursive: true });
  const jobs = [...new Set(options.targets.map((t) => t.job))].map((job) => ({
    job_name: job,
    scrape_interval: SCRAPE_INTERVAL,
    static_configs: options.targets
      .filter((t) => t.job === job)
      .map((t) => ({ targets: [`127.0.0.1:${t.port}`], labels: t.labels })),
  }));
  const configFile = join(options.dir, 'prometheus.yml');
  // JSON is YAML: no YAML writer needed.
  await writeFile(
    configFile,
    JSON.stringify({ global: { scrape_interval: SCRAPE_INTERVAL }, scrape_configs: jobs }),
  );
  const port = options.port ?? (await freePort());
  await assertPortsFree({ prometheus: port });
  const child = spawnGroup(
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  pipeLines(child, options.log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(
      'prometheus',
      child,
      () => fetch(`${url}/-/ready`).then((r) => r.ok),
      60_000,
      { port },
    );
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw error;
  }
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: {
          resultType: string;
          result: Array<{ metric: Record<string, string>; value: [number, string] }>;
        };
      };
      if (body.status !== 'success' || body.data?.resultType !== 'vector')
        throw new Error(`PromQL ${promql} failed: ${body.error ?? JSON.stringify(body)}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop: () => stopChild(child),
  };
}
