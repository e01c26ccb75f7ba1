import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@todo/local-stack';
import { parseAllDocuments } from 'yaml';

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string }>;
}

/**
 * The Node.js flags a service's Kubernetes deployment gives it (NODE_OPTIONS), so benchmarks
 * run it as production does: above all its heap ceiling, which decides peak memory.
 */
export function productionNodeFlags(service: 'task-api' | 'recurrence-engine'): string[] {
  const file = join(REPO_ROOT, 'infra', 'k8s', 'base', service, 'deployment.yaml');
  const deployment = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS())
    .find((doc) => doc?.kind === 'Deployment');
  const containers: Container[] = deployment?.spec?.template?.spec?.containers ?? [];
  const flags = containers
    .find((c) => c.name === service)
    ?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (!flags) throw new Error(`${file} sets no NODE_OPTIONS for ${service}`);
  return flags.split(/\s+/).filter(Boolean);
}
