import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signUp, type SignedUpUser, type Task } from '@todo/stack-harness';

/**
 * The root README's Observability screenshots, taken from the real tools while `pnpm dev:dapr`
 * runs with its Prometheus and a Jaeger whose UI is built in (the README says how):
 *
 *   pnpm --filter @todo/web exec playwright test -c e2e/observability-screenshots.config.ts
 *
 * It completes daily tasks through task-api in rounds (each completion goes through the outbox,
 * both sidecars and Kafka to the engine, which commits the next occurrence), then photographs
 * Prometheus's graph page showing the Grafana dashboard's own queries for the engine and the
 * outbox, and Jaeger's view of a completion's trace. The URLs default to dev:dapr's ports.
 */
const TASK_API = process.env.TASK_API_URL ?? 'http://127.0.0.1:8080';
const PROMETHEUS = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9091';
const JAEGER = process.env.JAEGER_URL ?? 'http://127.0.0.1:16686';
const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const DASHBOARD = join(ROOT, 'infra/k8s/components/monitoring/dashboards/todo.json');
const SERIES = 8;
const ROUNDS = 4;
const LAG_P99 = 'histogram_quantile(0.99, sum by (le) (rate(recurrence_lag_seconds_bucket[1m])))';

test('observability screenshots', async ({ page }) => {
  const user = await signUp(TASK_API);
  const series = await Promise.all(
    Array.from({ length: SERIES }, (_, i) =>
      user.create({
        title: `Daily check ${i + 1}`,
        due_date: '2030-03-29T09:00:00+01:00',
        recurrence: { rrule: 'FREQ=DAILY' },
      }),
    ),
  );
  const started = Date.now();
  for (let round = 1; round <= ROUNDS; round += 1) {
    await completeRound(user, series, round);
    // Each round's lags scraped before the next round starts.
    await expect
      .poll(() => promScalar('sum(recurrence_lag_seconds_count)'))
      .toBeGreaterThanOrEqual(SERIES * round);
  }
  // A minute of this run's lag line before it is photographed (NaN, where no completion fell
  // within the rate's minute, is a sample too, hence the filter).
  const lagPoints = () => {
    const window = Math.ceil((Date.now() - started) / 1000);
    return promScalar(`count_over_time((${LAG_P99} >= 0)[${window}s:1s])`);
  };
  await expect.poll(lagPoints, { timeout: 120_000 }).toBeGreaterThanOrEqual(60);

  const panels = await dashboardPanels();
  await prometheusGraph(page, 'prometheus-recurrence-engine', [
    ...panels('Recurrence lag: completion to next occurrence (objective p99 < 5 s)'),
    ...panels('Events handled by outcome'),
  ]);
  await prometheusGraph(page, 'prometheus-outbox', [
    ...panels('Pending events'),
    ...panels('Publishes and failures').slice(0, 1),
  ]);

  let traceId: string | undefined;
  await expect
    .poll(
      async () => {
        traceId = await completionTrace();
        return traceId;
      },
      { message: 'a completion trace that holds the commit of the next occurrence' },
    )
    .toBeDefined();
  // Tall enough for the whole trace (Jaeger scrolls its timeline inside the page), and the span
  // names' column widened as a reader would drag it (the UI keeps that width in localStorage).
  await page.setViewportSize({ width: 1600, height: 1150 });
  await page.addInitScript(() => localStorage.setItem('spanNameColumnWidth', '0.38'));
  await page.goto(`${JAEGER}/trace/${traceId}`);
  await expect(page.getByText('commit next occurrence').first()).toBeVisible();
  await page.screenshot({ path: join(OUT, 'jaeger-completion-trace.png') });
});

/** Completes the current occurrence of every series at once and waits for each next one. */
async function completeRound(user: SignedUpUser, series: Task[], round: number): Promise<void> {
  await Promise.all(
    series.map(async (first) => {
      const current = (await user.series(first.id)).at(-1)!;
      expect((await user.complete(current.id)).status).toBe(200);
      await expect.poll(async () => (await user.series(first.id)).length).toBe(round + 1);
    }),
  );
}

/** The dashboard's queries by panel title, with its Grafana variables filled in for dev:dapr. */
async function dashboardPanels(): Promise<(title: string) => string[]> {
  const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  return (title) => {
    const panel = dashboard.panels.find((p) => p.title === title);
    if (!panel?.targets) throw new Error(`the dashboard has no panel "${title}"`);
    // dev:dapr's Prometheus runs one stack, with no namespace label to choose by.
    return panel.targets.map((t) =>
      t.expr
        .replaceAll(/namespace="\$namespace",?/g, '')
        .replaceAll('{}', '')
        .replaceAll('$__rate_interval', '1m'),
    );
  };
}

async function prometheusGraph(page: Page, name: string, exprs: string[]): Promise<void> {
  const params = new URLSearchParams(
    exprs.flatMap((expr, i): Array<[string, string]> => [
      [`g${i}.expr`, expr],
      [`g${i}.tab`, '0'],
      [`g${i}.range_input`, '2m'],
    ]),
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${PROMETHEUS}/graph?${params}`);
  await page.waitForLoadState('networkidle');
  // The page's own height rather than fullPage, which would paint its fixed header mid-page.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1440, height });
  // Without the focus ring the page puts on its last query field.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

async function promScalar(query: string): Promise<number> {
  const response = await fetch(`${PROMETHEUS}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? Number.NaN);
}

/** The newest completion trace that holds the engine's commit of the next occurrence. */
async function completionTrace(): Promise<string | undefined> {
  const query = new URLSearchParams({
    service: 'task-api',
    operation: 'POST /api/tasks/{id}/complete',
    limit: '50',
  });
  const response = await fetch(`${JAEGER}/api/traces?${query}`);
  const body = (await response.json()) as {
    data: Array<{ traceID: string; spans: Array<{ operationName: string; startTime: number }> }>;
  };
  const startOf = (trace: { spans: Array<{ startTime: number }> }) =>
    Math.min(...trace.spans.map((s) => s.startTime));
  return body.data
    .filter((trace) => trace.spans.some((s) => s.operationName === 'commit next occurrence'))
    .sort((a, b) => startOf(b) - startOf(a))[0]?.traceID;
}
