import type { ScrapeTarget } from '@todo/local-stack';

/** Where Prometheus scrapes a stack: task-api and each engine, and each one's daprd sidecar. */
export function stackScrapeTargets(stack: { api: StackApp; engines: StackApp[] }): ScrapeTarget[] {
  return [stack.api, ...stack.engines].flatMap(({ app, sidecar }) => {
    const service = sidecar.appId;
    const instance = { service, pod: app.name };
    if (app.metricsPort === undefined)
      throw new Error(`${app.name} was started without a metrics port`);
    return [
      { job: 'todo-services' as const, port: app.metricsPort, labels: instance },
      { job: 'daprd' as const, port: sidecar.metricsPort(), labels: instance },
    ];
  });
}

interface StackApp {
  app: { name: string; metricsPort: number | undefined };
  sidecar: { appId: string; metricsPort(): number };
}
