import type { ChildProcess } from 'node:child_process';
import { freePort } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  pipeLines,
  portIsFree,
  spawnGroup,
  stopChild,
  waitUntilReady,
} from './child-process.js';

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
  /** Where daprd serves its Prometheus metrics now (a restart may pick another free port). */
  metricsPort(): number;
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
    // instead of spending deliveries that cannot succeed.
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
  const flagPort = (flag: string) => Number(args[args.indexOf(flag) + 1]);
  const launch = async () => {
    await assertPortsFree({
      [`daprd ${options.appId} HTTP`]: httpPort,
      [`daprd ${options.appId} gRPC`]: flagPort('--dapr-grpc-port'),
      [`daprd ${options.appId} internal gRPC`]: flagPort('--dapr-internal-grpc-port'),
      [`daprd ${options.appId} metrics`]: flagPort('--metrics-port'),
    });
    const current = spawnGroup(options.daprd, args, {
      env: {
        ...process.env,
        APP_API_TOKEN: options.appApiToken,
        KAFKA_BROKERS: options.kafkaBrokers,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    pipeLines(current, onLine);
    try {
      await waitUntilReady(
        `daprd for ${options.appId}`,
        current,
        () => fetch(`http://127.0.0.1:${httpPort}/v1.0/healthz`).then((r) => r.status === 204),
        60_000,
        { port: httpPort },
      );
    } catch (error) {
      // A sidecar that did not come up is not left running.
      await stopChild(current, 'SIGKILL');
      throw error;
    }
  };
  // A port found free can be taken by another process before daprd binds it; start again with
  // fresh ports when that is why it failed. The HTTP port may have been given to the app
  // already, so it is never changed: if that one is taken, starting fails.
  const start = async () => {
    for (let attempt = 1; ; attempt += 1) {
      startupOutput = '';
      try {
        await launch();
        return;
      } catch (error) {
        const portTaken =
          startupOutput.includes('address already in use') || /already in use/.test(String(error));
        if (attempt >= 3 || !portTaken || !(await portIsFree(httpPort))) throw error;
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
  };
  await start();
  return {
    appId: options.appId,
    httpPort,
    metricsPort: () => flagPort('--metrics-port'),
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal),
    restart: start,
  };
}
