import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../src/index.js';

/**
 * The monitoring component (infra/k8s/components/monitoring): its alerts pass promtool's unit
 * tests, and what it scrapes and charts matches what the services and their pods expose.
 * Run by `pnpm check:manifests` (kustomize); promtool is Debian's (`prometheus` package), which
 * `.ci/run manifests` installs, or the one PROMTOOL names.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Doc = {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Loose;
  data?: Loose;
};

const MONITORING = join(REPO_ROOT, 'infra/k8s/components/monitoring');
const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';
const kustomize = [
  process.env.KUSTOMIZE,
  join(process.env.TODO_CACHE_DIR ?? join(homedir(), '.cache/todo-platform'), 'bin/kustomize'),
].find((candidate): candidate is string => !!candidate && existsSync(candidate));

const production = (): Doc[] => {
  if (!kustomize)
    throw new Error('kustomize not found: run this suite through `pnpm check:manifests`');
  const yaml = execFileSync(
    kustomize,
    ['build', join(REPO_ROOT, 'infra/k8s/overlays/production')],
    {
      encoding: 'utf8',
    },
  );
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as Doc);
};
const docs = production();
const one = (kind: string, name: string) => {
  const found = docs.find((doc) => doc.kind === kind && doc.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the production overlay`);
  return found;
};

const work = mkdtempSync(join(tmpdir(), 'todo-alerts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('alert rules', () => {
  const rule = one('PrometheusRule', 'todo-alerts');

  it('pass promtool check and its unit tests (alerts.test.yaml)', () => {
    // promtool reads plain rule files: the PrometheusRule's spec is one.
    writeFileSync(join(work, 'todo-alerts.rules.yaml'), JSON.stringify(rule.spec));
    writeFileSync(
      join(work, 'alerts.test.yaml'),
      readFileSync(join(MONITORING, 'alerts.test.yaml'), 'utf8'),
    );
    const run = (...args: string[]) =>
      execFileSync(promtool, args, { cwd: work, encoding: 'utf8', stdio: 'pipe' });
    expect(run('check', 'rules', 'todo-alerts.rules.yaml')).toContain('SUCCESS');
    expect(run('test', 'rules', 'alerts.test.yaml')).toContain('SUCCESS');
  });

  it('each alert has a severity, a summary, a description and a runbook, and a unit test', () => {
    const tests = parse(readFileSync(join(MONITORING, 'alerts.test.yaml'), 'utf8')) as Loose;
    const tested = new Set<string>(
      tests.tests.flatMap((t: Loose) =>
        t.alert_rule_test
          .filter((a: Loose) => a.exp_alerts.length > 0)
          .map((a: Loose) => a.alertname as string),
      ),
    );
    const alerts = rule.spec.groups.flatMap((g: Loose) => g.rules) as Loose[];
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    for (const alert of alerts) {
      expect([alert.alert, alert.labels?.severity]).toEqual([
        alert.alert,
        expect.stringMatching(/^(warning|critical)$/),
      ]);
      for (const annotation of ['summary', 'description', 'runbook']) {
        expect([alert.alert, annotation, typeof alert.annotations?.[annotation]]).toEqual([
          alert.alert,
          annotation,
          'string',
        ]);
      }
      expect([alert.alert, tested.has(alert.alert)]).toEqual([alert.alert, true]);
    }
  });
});

describe('scraping', () => {
  const monitor = one('PodMonitor', 'todo-services');

  it('scrapes each service’s metrics port, as its pod names it and its METRICS_PORT says, and daprd’s', () => {
    expect(monitor.spec.podMetricsEndpoints.map((e: Loose) => e.port)).toEqual([
      'metrics',
      'dapr-metrics',
    ]);
    const selected = monitor.spec.selector.matchExpressions[0].values as string[];
    for (const name of ['task-api', 'recurrence-engine']) {
      expect(selected).toContain(name);
      const deployment = one('Deployment', name);
      const pod = deployment.spec.template;
      expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(name);
      // The injector names daprd's metrics port; metrics must not be turned off.
      expect(pod.metadata.annotations['dapr.io/enable-metrics']).not.toBe('false');
      const container = pod.spec.containers.find((c: Loose) => c.name === name);
      const port = container.ports.find((p: Loose) => p.name === 'metrics')?.containerPort;
      const env = container.env.find((e: Loose) => e.name === 'METRICS_PORT')?.value;
      expect([name, port]).toEqual([name, Number(env)]);
      // Never on a Service, so never behind the Ingress.
      const service = one('Service', name);
      expect(service.spec.ports.map((p: Loose) => p.targetPort)).not.toContain(port);
      expect(service.spec.ports.map((p: Loose) => p.targetPort)).not.toContain('metrics');
    }
    const policy = one('NetworkPolicy', 'recurrence-engine');
    const admitted = policy.spec.ingress.flatMap((rule: Loose) =>
      rule.ports.map((p: Loose) => p.port),
    );
    expect(admitted).toEqual(expect.arrayContaining([9090, 9465]));
  });
});

describe('the Grafana dashboard', () => {
  const configMap = one('ConfigMap', 'todo-grafana-dashboard');
  const dashboard = JSON.parse(configMap.data['todo.json'] as string) as Loose;

  it('is labelled for Grafana’s sidecar and charts requests, the outbox, the engine and the lag', () => {
    expect(configMap.metadata.labels?.grafana_dashboard).toBe('1');
    const exprs = dashboard.panels.flatMap((p: Loose) =>
      (p.targets ?? []).map((t: Loose) => t.expr),
    );
    for (const metric of [
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_bucket',
      'outbox_events_pending',
      'outbox_oldest_pending_age_seconds',
      'outbox_publish_failures_total',
      'recurrence_engine_events_handled_total',
      'recurrence_lag_seconds_bucket',
      'dapr_component_pubsub_ingress_count',
      'dapr_component_pubsub_ingress_bulk_event_count',
      'db_client_connection_count',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect([metric, exprs.some((e: string) => e.includes(metric))]).toEqual([metric, true]);
    }
  });
});
