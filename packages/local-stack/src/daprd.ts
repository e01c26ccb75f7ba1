import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@todo/embedded-postgres';
import { pipeLines, stopChild, waitUntilReady } from './child-process.js';

export interface SidecarOptions {
  daprd: string;
  appId: string;
  appPort: number;
  resourcesDir: string;
  configFile: string;
  /** Sent to the app as `dapr-api-token` (the app's APP_API_TOKEN). */
  appApiToken: string;
  log: (line: string) => void;
  /** Pre-allocated HTTP port, so the app can be told it before the sidecar starts. */
  httpPort?: number;
  /** The Kafka brokers the pub/sub component connects to (read from the sidecar's environment). */
  kafkaBrokers: string;
}

export interface RunningSidecar {
  appId: string;
  httpPort: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/**
 * A `daprd` sidecar in self-hosted mode, started directly (no Dapr CLI, no placement or scheduler)
 * on free loopback ports. Each sidecar gets its own metrics port, or two would collide on 9090.
 */
export async function startSidecar(options: SidecarOptions): Promise<RunningSidecar> {
  const [grpcPort, internalGrpcPort, metricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
  ]);
  const httpPort = options.httpPort ?? (await freePort());
  const args = [
    '--app-id',
    options.appId,
    '--app-port',
    String(options.appPort),
    '--app-protocol',
    'http',
    '--app-channel-address',
    '127.0.0.1',
    '--dapr-listen-addresses',
    '127.0.0.1',
    '--dapr-http-port',
    String(httpPort),
    '--dapr-grpc-port',
    String(grpcPort),
    '--dapr-internal-grpc-port',
    String(internalGrpcPort),
    '--metrics-port',
    String(metricsPort),
    '--resources-path',
    options.resourcesDir,
    '--config',
    options.configFile,
    '--log-level',
    'warn',
    '--dapr-graceful-shutdown-seconds',
    '3',
    // While the app does not answer its liveness probe, the sidecar stops delivering events to it
    // instead of burning retries into the dead-letter topic.
    '--enable-app-health-check',
    '--app-health-check-path',
    '/livez',
    '--app-health-probe-interval',
    '1',
    '--app-health-threshold',
    '2',
  ];
  let child: ChildProcess | undefined;
  // Start-up output, kept only while a launch is in progress, to tell why it failed.
  let startupOutput: string | undefined;
  const onLine = (line: string) => {
    if (startupOutput !== undefined) startupOutput += `${line}\n`;
    options.log(line);
  };
  const launch = async () => {
    const current = spawn(options.daprd, args, {
      env: {
        ...process.env,
        APP_API_TOKEN: options.appApiToken,
        KAFKA_BROKERS: options.kafkaBrokers,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    pipeLines(current, onLine);
    await waitUntilReady(`daprd for ${options.appId}`, current, () =>
      fetch(`http://127.0.0.1:${httpPort}/v1.0/healthz`).then((r) => r.status === 204),
    );
  };
  // A port found free can be taken by another process before daprd binds it; start again with
  // fresh ports when that is why it failed (it says "address already in use").
  for (let attempt = 1; ; attempt += 1) {
    startupOutput = '';
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3 || !startupOutput.includes('address already in use')) throw error;
      const [grpc, internal, metrics] = await Promise.all([freePort(), freePort(), freePort()]);
      const fresh = [
        ['--dapr-grpc-port', grpc],
        ['--dapr-internal-grpc-port', internal],
        ['--metrics-port', metrics],
      ] as const;
      for (const [flag, port] of fresh) args[args.indexOf(flag) + 1] = String(port);
    } finally {
      startupOutput = undefined;
    }
  }
  return {
    appId: options.appId,
    httpPort,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal),
    restart: launch,
  };
}
