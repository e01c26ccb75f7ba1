import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../logger.js';

/** A JSON logger whose lines tests can read back, parsed. */
export function createCapturingLogger(
  service: string,
  level = 'debug',
): { logger: Logger; logs: Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  const logs: Array<Record<string, unknown>> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger: createLogger({ service, level, format: 'json', stream }), logs };
}
