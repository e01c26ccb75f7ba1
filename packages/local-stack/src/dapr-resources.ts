import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DAPR_RESOURCES_DIR = fileURLToPath(
  new URL('../../../infra/dapr/components/', import.meta.url),
);
export const DAPR_CONFIG_FILE = fileURLToPath(
  new URL('../../../infra/dapr/config.yaml', import.meta.url),
);

/**
 * Copies infra/dapr/components into `dir`, adding app ids to the components' scopes and extra
 * resources (e.g. a test subscriber's subscriptions); daprd loads every file in the directory.
 */
export async function renderDaprResources(
  dir: string,
  values: { extraScopes?: string[]; extraResources?: Record<string, string> } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const file of await readdir(DAPR_RESOURCES_DIR)) {
    let text = await readFile(join(DAPR_RESOURCES_DIR, file), 'utf8');
    if (values.extraScopes?.length && /^scopes:/m.test(text) && /kind: Component/.test(text)) {
      text = `${text.trimEnd()}\n${values.extraScopes.map((scope) => `  - ${scope}`).join('\n')}\n`;
    }
    await writeFile(join(dir, file), text);
  }
  for (const [file, text] of Object.entries(values.extraResources ?? {}))
    await writeFile(join(dir, file), text);
  return dir;
}

/**
 * infra/dapr/config.yaml (tracing on, every request sampled) with its spans exported over OTLP/HTTP
 * to `otlpEndpoint` (`host:port`), as the Kubernetes Configuration exports to the collector: for a
 * run that collects traces (Jaeger). Written to `file`, whose path daprd's `--config` takes.
 */
export async function renderDaprTracingConfig(file: string, otlpEndpoint: string): Promise<string> {
  const text = await readFile(DAPR_CONFIG_FILE, 'utf8');
  if (!/^ {4}samplingRate: .*$/m.test(text))
    throw new Error(
      `${DAPR_CONFIG_FILE} has no spec.tracing.samplingRate to add an exporter beside`,
    );
  await writeFile(
    file,
    text.replace(
      /^( {4}samplingRate: .*)$/m,
      `$1\n    otel:\n      endpointAddress: '${otlpEndpoint}'\n      isSecure: false\n      protocol: http`,
    ),
  );
  return file;
}
