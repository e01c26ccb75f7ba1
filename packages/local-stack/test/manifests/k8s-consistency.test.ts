import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  APP_IDS,
  PUBSUB_NAME,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  RECURRENCE_ENGINE_MAX_BULK_ENTRIES,
  TASK_EVENTS_DEAD_LETTER_TOPIC,
  TASK_EVENTS_TOPIC,
} from '@todo/contracts';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../src/index.js';

/**
 * infra/k8s must name what the code names (app ids, ports, routes, topic, pub/sub and dead-letter
 * names), so they cannot drift. Overlays are rendered with kustomize, which needs Go to install,
 * so this suite is not part of `pnpm test`: `pnpm check:manifests` (infra/scripts/
 * check-manifests.sh, run by CI) installs kustomize, then runs it with KUSTOMIZE set.
 */
// Rendered manifests are walked freely below; a wrong path fails the assertion that reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Doc = {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Loose;
  data?: Loose;
  scopes?: string[];
};

const kustomize = [
  process.env.KUSTOMIZE,
  join(process.env.TODO_CACHE_DIR ?? join(homedir(), '.cache/todo-platform'), 'bin/kustomize'),
].find((candidate): candidate is string => !!candidate && existsSync(candidate));

function render(overlay: string): Doc[] {
  if (!kustomize)
    throw new Error(
      'kustomize not found: run this suite through `pnpm check:manifests`, which installs it',
    );
  const yaml = execFileSync(kustomize, ['build', join(REPO_ROOT, 'infra/k8s/overlays', overlay)], {
    encoding: 'utf8',
  });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as Doc);
}

const SERVICES = [
  { appId: APP_IDS.taskApi, dir: 'task-api', port: 8080 },
  { appId: APP_IDS.recurrenceEngine, dir: 'recurrence-engine', port: 8081 },
];

/**
 * The web app's server, as its image runs it: nginx.conf's listen port and the directory its pid
 * file goes to (the only place it writes), and the image's user.
 */
const nginxConf = readFileSync(join(REPO_ROOT, 'services/web/nginx.conf'), 'utf8');
const WEB = {
  port: Number(/^\s*listen (\d+);/m.exec(nginxConf)?.[1]),
  writes: /^pid (\/[^/]+)\//m.exec(nginxConf)?.[1],
  user: Number(
    /^USER (\d+)$/m.exec(readFileSync(join(REPO_ROOT, 'infra/docker/web.Dockerfile'), 'utf8'))?.[1],
  ),
};
/**
 * What the Ingress sends to task-api: what the web dev server forwards to it (vite.config.ts),
 * less the health check, which stays inside the cluster. The rest of the site is the web app.
 */
const TASK_API_PATHS = [
  ...new Set(
    [
      ...readFileSync(join(REPO_ROOT, 'services/web/vite.config.ts'), 'utf8').matchAll(
        /'(\/[a-z.]+)': toApi/g,
      ),
    ].map((m) => m[1]!),
  ),
].filter((path) => path !== '/livez');

// The image name CI pushes (`ghcr.io/<owner>/todo-<service>:<commit>`), as a pattern over the owner.
const ciImageTag: string = (
  parse(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
    jobs: Record<string, { steps: Array<{ uses?: string; with?: { tags?: string } }> }>;
  }
).jobs.image!.steps.find((step) => step.uses?.startsWith('docker/build-push-action'))!.with!.tags!;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ciImage = (dir: string) =>
  new RegExp(
    `^${ciImageTag
      .split(':')[0]!
      .replace('${{ matrix.service }}', dir)
      .split('${{ github.repository_owner }}')
      .map(escape)
      .join('[^/:]+')}:[^/:]+$`,
  );
// The local overlay runs what infra/README.md's minikube steps build: `-t todo/<service>:dev`.
const IMAGES = {
  local: (dir: string) => new RegExp(`^todo/${dir}:dev$`),
  production: ciImage,
};

describe.each(['local', 'production'] as const)('infra/k8s overlay %s', (overlay) => {
  const docs = render(overlay);
  const find = (kind: string, name: string) => {
    const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
    if (!doc) throw new Error(`${kind}/${name} is missing from the ${overlay} overlay`);
    return doc;
  };

  it.each(SERVICES)('runs $appId with its Dapr app id, port and probes', ({ appId, port }) => {
    const deployment = find('Deployment', appId);
    const pod = deployment.spec.template;
    expect(pod.metadata.annotations['dapr.io/app-id']).toBe(appId);
    expect(pod.metadata.annotations['dapr.io/app-port']).toBe(String(port));
    const container = pod.spec.containers[0];
    expect(container.ports[0].containerPort).toBe(port);
    expect(container.env.find((e: { name: string }) => e.name === 'PORT').value).toBe(String(port));
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.limits).toBeDefined();
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it.each(SERVICES)(
    'runs $appId (and its migrations) from the image CI builds for $dir',
    ({ appId, dir }) => {
      const pod = find('Deployment', appId).spec.template.spec;
      for (const container of [...pod.initContainers, ...pod.containers])
        expect(container.image).toMatch(IMAGES[overlay](dir));
    },
  );

  it('runs the migration Job from the engine’s image, which carries the migrator', () => {
    const job = find('Job', 'todo-migrate').spec.template.spec;
    expect(job.containers[0].image).toMatch(IMAGES[overlay]('recurrence-engine'));
  });

  it.each(SERVICES)('caps $appId’s heap well inside its memory limit', ({ appId }) => {
    const container = find('Deployment', appId).spec.template.spec.containers[0];
    const flags = container.env.find((e: { name: string }) => e.name === 'NODE_OPTIONS')?.value;
    const oldMiB = Number(/--max-old-space-size=(\d+)/.exec(flags ?? '')?.[1]);
    // Pinned, not left to V8's defaults, which follow the memory Node sees (the deployments say why).
    const semiMiB = Number(/--max-semi-space-size=(\d+)/.exec(flags ?? '')?.[1]);
    const limit = /^(\d+)Mi$/.exec(container.resources.limits.memory);
    expect(limit).not.toBeNull();
    expect(oldMiB).toBeGreaterThan(0);
    expect(semiMiB).toBeGreaterThan(0);
    // V8's heap is the old generation plus three semi-spaces; code and native memory need the
    // rest, so at most 2/3 of the limit for the heap.
    expect(oldMiB + 3 * semiMiB).toBeLessThanOrEqual((Number(limit![1]) * 2) / 3);
    expect(container.resources.requests.memory).toBeDefined();
  });

  it('declares the pub/sub component, subscription and dead-letter topic the code uses', () => {
    const component = find('Component', PUBSUB_NAME);
    expect(component.spec.type).toBe('pubsub.kafka');
    expect(component.spec.metadata.map((m: { name: string }) => m.name)).not.toContain(
      'consumerGroup',
    );
    expect(component.scopes).toEqual(expect.arrayContaining(Object.values(APP_IDS)));
    const subscription = docs.find((d) => d.kind === 'Subscription')!;
    expect(subscription.spec).toMatchObject({
      pubsubname: PUBSUB_NAME,
      topic: TASK_EVENTS_TOPIC,
      routes: { default: RECURRENCE_ENGINE_EVENTS_ROUTE },
      deadLetterTopic: TASK_EVENTS_DEAD_LETTER_TOPIC,
    });
    expect(subscription.scopes).toEqual([APP_IDS.recurrenceEngine]);
    // Bulk delivery, with both limits set (Kafka's default wait is 10 s) within the engine's cap.
    const bulk = subscription.spec.bulkSubscribe as {
      enabled: boolean;
      maxMessagesCount: number;
      maxAwaitDurationMs: number;
    };
    expect(bulk.enabled).toBe(true);
    expect(bulk.maxMessagesCount).toBeGreaterThan(1);
    expect(bulk.maxMessagesCount).toBeLessThanOrEqual(RECURRENCE_ENGINE_MAX_BULK_ENTRIES);
    expect(bulk.maxAwaitDurationMs).toBeGreaterThan(0);
    expect(bulk.maxAwaitDurationMs).toBeLessThanOrEqual(100);
  });

  it('scales the engine on the consumer group Dapr really uses (its app id) and the same brokers', () => {
    const scaled = find('ScaledObject', APP_IDS.recurrenceEngine);
    const trigger = scaled.spec.triggers[0];
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata.consumerGroup).toBe(APP_IDS.recurrenceEngine);
    expect(trigger.metadata.topic).toBe(TASK_EVENTS_TOPIC);
    const brokers = find('Component', PUBSUB_NAME).spec.metadata.find(
      (m: { name: string }) => m.name === 'brokers',
    ).value;
    expect(trigger.metadata.bootstrapServers).toBe(brokers);
    expect(brokers).toBe(find('ConfigMap', 'kafka-connection').data.brokers);
  });

  it('exposes task-api and keeps the engine internal', () => {
    expect(find('Service', APP_IDS.taskApi).spec.ports[0].targetPort).toBe('http');
    expect(find('Service', APP_IDS.recurrenceEngine).spec.type).toBe('ClusterIP');
    const policy = find('NetworkPolicy', APP_IDS.recurrenceEngine);
    const allowedPorts = policy.spec.ingress.flatMap((rule: { ports: Array<{ port: number }> }) =>
      rule.ports.map((p) => p.port),
    );
    expect(allowedPorts).not.toContain(8081);
  });

  it('runs the web app from the image CI builds, non-root on a read-only root, on nginx.conf’s port', () => {
    expect(WEB).toEqual({ port: expect.any(Number), writes: '/tmp', user: expect.any(Number) });
    const pod = find('Deployment', 'web').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: WEB.user });
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container.image).toMatch(IMAGES[overlay]('web'));
    expect(container.ports).toEqual([{ name: 'http', containerPort: WEB.port }]);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    // The one directory nginx writes to is a volume, or it cannot start on a read-only root.
    const tmp = container.volumeMounts.find(
      (m: { mountPath: string }) => m.mountPath === WEB.writes,
    );
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(nginxConf).toMatch(/location = \/livez \{/);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
  });

  it('serves the page and task-api on one origin: the Ingress sends the dev proxy’s paths to task-api, the rest to web', () => {
    expect(TASK_API_PATHS.sort()).toEqual(['/api', '/docs', '/openapi.json']);
    const rules = find('Ingress', 'todo').spec.rules;
    expect(rules).toHaveLength(1);
    type Path = { path: string; backend: { service: { name: string; port: { name: string } } } };
    const routes = (rules[0].http.paths as Path[]).map(({ path, backend }) => ({
      path,
      service: backend.service.name,
      port: backend.service.port.name,
    }));
    expect(
      routes
        .filter((r) => r.service === APP_IDS.taskApi)
        .map((r) => r.path)
        .sort(),
    ).toEqual(TASK_API_PATHS);
    expect(routes.filter((r) => r.service !== APP_IDS.taskApi)).toEqual([
      { path: '/', service: 'web', port: 'http' },
    ]);
    // Each route names a port its Service has, on the container port its Deployment opens.
    for (const { service, port } of routes) {
      const servicePort = find('Service', service).spec.ports.find(
        (p: { name: string }) => p.name === port,
      );
      expect({ service, targetPort: servicePort?.targetPort }).toEqual({
        service,
        targetPort: 'http',
      });
      const container = find('Deployment', service).spec.template.spec.containers[0];
      expect(container.ports.map((p: { name: string }) => p.name)).toContain('http');
    }
  });

  if (overlay === 'production') {
    it('serves the one host task-api accepts as an origin, over TLS (the refresh cookie is Secure)', () => {
      const ingress = find('Ingress', 'todo');
      const host = ingress.spec.rules[0].host;
      expect(find('ConfigMap', 'todo-config').data.CORS_ORIGINS.split(',')).toContain(
        `https://${host}`,
      );
      expect(ingress.spec.tls).toEqual([{ hosts: [host], secretName: expect.any(String) }]);
    });
  }

  if (overlay === 'local') {
    it('creates the topic with as many partitions as the engine can have replicas, and the dead-letter topic', () => {
      const job = find('Job', 'redpanda-topics');
      const script = job.spec.template.spec.containers[0].args.join(' ');
      const max = find('ScaledObject', APP_IDS.recurrenceEngine).spec.maxReplicaCount;
      expect(script).toContain(`rpk topic create ${TASK_EVENTS_TOPIC} --partitions ${max} `);
      expect(script).toContain(`rpk topic create ${TASK_EVENTS_DEAD_LETTER_TOPIC} `);
    });
  }
});
