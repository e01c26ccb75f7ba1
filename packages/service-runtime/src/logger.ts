import winston from 'winston';
import { withoutQueryParams } from '@todo/telemetry';

export type Logger = winston.Logger;

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** `json` for production (one object per line), `pretty` for a human at a terminal. */
  format?: 'json' | 'pretty';
  /** Tests pass a stream to read what was logged. */
  stream?: NodeJS.WritableStream;
}

const REDACTED = '[redacted]';
const SENSITIVE_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|email/i;

/** Masks sensitive values anywhere in the logged object (headers, bodies, errors' fields). */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    info[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(info[key]);
  }
  return info;
});

/**
 * Errors are logged under `err` with their stack, never spread into the line. A failed query's
 * parameters are left out (`withoutQueryParams`: drizzle's error carries them in a `params` field
 * and at the end of its message), and so is PostgreSQL's `detail`, which can quote a row's values
 * ("Failing row contains …", "Key (email)=(…)"): its code, constraint, table and column stay.
 */
const errorFormat = winston.format((info) => {
  if (info.err instanceof Error) info.err = errorFields(info.err);
  return info;
});

const OMITTED_FIELDS = new Set(['params', 'detail']);

/** An error's own fields, name, message and stack; its `cause` (enumerable or not) likewise. */
function errorFields(err: Error, depth = 0): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (!OMITTED_FIELDS.has(key)) fields[key] = value;
  }
  const message = withoutQueryParams(err.message);
  fields.name = err.name;
  fields.message = message;
  // A cause's stack would repeat most of its wrapper's. A function replacement: SQL holds `$`.
  if (depth === 0) fields.stack = err.stack?.replace(err.message, () => message);
  else delete fields.stack;
  const { cause } = err as { cause?: unknown };
  if (cause instanceof Error)
    fields.cause = depth < 3 ? errorFields(cause, depth + 1) : '[omitted]';
  else if (cause !== undefined) fields.cause = cause;
  return fields;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const format =
    options.format === 'pretty'
      ? winston.format.combine(
          errorFormat(),
          redactFormat(),
          winston.format.colorize(),
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.printf(({ level, message, timestamp, service, err, ...rest }) => {
            const fields = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
            const stack =
              err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : '';
            return `${String(timestamp)} ${level} [${String(service)}] ${String(message)}${fields}${stack}`;
          }),
        )
      : winston.format.combine(
          errorFormat(),
          redactFormat(),
          winston.format.timestamp(),
          winston.format.json(),
        );
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service },
    format,
    transports: [transport],
  });
}
