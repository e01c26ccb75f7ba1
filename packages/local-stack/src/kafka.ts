import { execFile, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  pipeLines,
  spawnGroup,
  stopChild,
  waitUntilReady,
} from './child-process.js';
import { ensureKafkaLibs } from './tools.js';

const run = promisify(execFile);

export interface RunningKafka {
  brokers: string;
  port: number;
  /** Stops the broker (SIGTERM, or SIGKILL to simulate a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data (after stop). */
  restart(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Apache Kafka in KRaft mode (one node, no ZooKeeper) from its Maven Central jars, on free
 * loopback ports, with its data in `dir`.
 */
export async function startKafka(options: {
  dir: string;
  log: (line: string) => void;
  partitions?: number;
}): Promise<RunningKafka> {
  const libs = await ensureKafkaLibs(options.log);
  const classpath = `${libs}/*`;
  const port = await freePort();
  const controllerPort = await freePort();
  await mkdir(options.dir, { recursive: true });
  const properties = join(options.dir, 'server.properties');
  const log4j = join(options.dir, 'log4j.properties');
  await writeFile(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(options.dir, 'data')}`,
      `num.partitions=${options.partitions ?? 4}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
    ].join('\n'),
  );
  await writeFile(
    log4j,
    [
      'log4j.rootLogger=WARN, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[kafka] %p %m%n',
    ].join('\n'),
  );
  const java = ['-Xms256m', '-Xmx512m', `-Dlog4j.configuration=file:${log4j}`, '-cp', classpath];
  const { stdout: clusterId } = await run('java', [
    ...java,
    'kafka.tools.StorageTool',
    'random-uuid',
  ]);
  await run('java', [
    ...java,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId.trim(),
    '-c',
    properties,
  ]);

  let child: ChildProcess | undefined;
  // Restarts reuse the ports (clients and the data know them), so they are checked every time.
  const launch = async () => {
    await assertPortsFree({ 'the Kafka broker': port, 'the Kafka controller': controllerPort });
    const current = spawnGroup('java', [...java, 'kafka.Kafka', properties], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    pipeLines(current, options.log);
    try {
      await waitUntilReady('Kafka', current, () => portOpen(port), 60_000, { port });
    } catch (error) {
      await stopChild(current, 'SIGKILL');
      throw error;
    }
  };
  await launch();
  options.log(`Kafka ready on 127.0.0.1:${port}`);

  return {
    brokers: `127.0.0.1:${port}`,
    port,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal),
    restart: launch,
  };
}
