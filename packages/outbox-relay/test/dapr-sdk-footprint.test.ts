import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDaprdFake } from './daprd-fake.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The @dapr/dapr modules dapr-transport.ts loads at run time (type-only imports are erased). */
const runtimeImports = [
  ...readFileSync(new URL('../src/dapr-transport.ts', import.meta.url), 'utf8').matchAll(
    /^import (?!type )[^;]*?from '(@dapr\/dapr[^']*)';/gm,
  ),
].map((match) => match[1]!);

// In a fresh Node.js process: load what the transport loads, make a first bulk publish (the SDK
// waits for the sidecar on first use) and list every module then loaded.
const child = `
const { createRequire } = require('node:module');
const load = createRequire(${JSON.stringify(`${packageDir}package.json`)});
const [specifiers, port] = [JSON.parse(process.argv[1]), process.argv[2]];
const loaded = specifiers.map((s) => load(s));
const HTTPClient = loaded.find((m) => m.default?.name === 'HTTPClient').default;
const PubSub = loaded.find((m) => m.default?.name === 'HTTPClientPubSub').default;
const quiet = { error() {}, warn() {}, info() {}, verbose() {}, debug() {} };
const client = new HTTPClient({ daprHost: '127.0.0.1', daprPort: port, logger: { level: 0, service: quiet } });
new PubSub(client)
  .publishBulk('pubsub', 'topic', [{ entryID: 'a', event: { a: 1 }, contentType: 'application/json' }])
  .then((response) => {
    process.stdout.write(JSON.stringify({ response, modules: Object.keys(require.cache) }));
    return client.stop();
  });
`;

describe('the Dapr transport loads only the SDK’s HTTP client', () => {
  let daprd: Awaited<ReturnType<typeof startDaprdFake>>;
  beforeAll(async () => {
    daprd = await startDaprdFake();
  });
  afterAll(async () => {
    await daprd.close();
  });

  it('publishes without loading the package root, gRPC or the workflow runtime', async () => {
    expect(runtimeImports).toEqual(
      expect.arrayContaining([
        '@dapr/dapr/implementation/Client/HTTPClient/HTTPClient.js',
        '@dapr/dapr/implementation/Client/HTTPClient/pubsub.js',
      ]),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      child,
      JSON.stringify(runtimeImports),
      String(daprd.port),
    ]);
    const { response, modules } = JSON.parse(stdout) as {
      response: { failedMessages: unknown[] };
      modules: string[];
    };
    expect(response.failedMessages).toEqual([]);
    expect(daprd.requests).toHaveLength(1);
    const sdk = modules.filter((path) => path.includes('/@dapr/dapr/'));
    // Without infra/pnpm-patches' HTTPClient.js change, the client requires the root index.js,
    // which loads about 500 modules, among them @grpc/grpc-js and the workflow runtime.
    expect(sdk.filter((path) => /\/@dapr\/dapr\/index\.js$/.test(path))).toEqual([]);
    expect(modules.filter((path) => /@grpc|durabletask|\/workflow\//.test(path))).toEqual([]);
    expect(sdk.length).toBeLessThan(40);
  });
});
