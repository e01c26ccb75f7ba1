import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// In a fresh Node.js process: import @todo/telemetry (its build, as a service does), prepare the
// service with the given environment, and list the OpenTelemetry SDK modules then loaded.
const child = `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(`${packageDir}package.json`)});
const sdkModules = () =>
  Object.keys(require.cache).filter((path) => /sdk-trace-|exporter-trace-otlp|instrumentation-http/.test(path));
const telemetry = await import(require.resolve('@todo/telemetry'));
const afterImport = sdkModules().length;
const env = JSON.parse(process.argv[1]);
if (telemetry.tracingRequested(env)) await telemetry.loadTracingSdk();
const tracing = telemetry.startTracing({ serviceName: 'footprint', env });
process.stdout.write(JSON.stringify({ afterImport, afterPrepare: sdkModules().length, tracing: Boolean(tracing) }));
await tracing?.shutdown();
`;

async function footprint(env: Record<string, string>) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    child,
    JSON.stringify(env),
  ]);
  return JSON.parse(stdout) as { afterImport: number; afterPrepare: number; tracing: boolean };
}

describe('the OpenTelemetry SDK is loaded only by a process that traces', () => {
  it('is not loaded when no OTEL_* variable asks for traces', async () => {
    expect(await footprint({})).toEqual({ afterImport: 0, afterPrepare: 0, tracing: false });
  });

  it('is loaded, and tracing starts, when they do', async () => {
    const traced = await footprint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(traced.afterImport).toBe(0);
    expect(traced.afterPrepare).toBeGreaterThan(0);
    expect(traced.tracing).toBe(true);
  });
});
