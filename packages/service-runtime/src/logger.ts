import winston from 'winston';

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
 * A failed query's error from drizzle (`DrizzleQueryError`) carries the query's parameters, in a
 * `params` field and at the end of its message: values such as password hashes and emails.
 */
const PARAMS_TAIL = /\nparams: [\s\S]*$/;

/**
 * Errors are logged under `err` with their stack, never spread into the line; a query's
 * parameters are left out (the SQL and the driver's error, its `cause`, stay).
 */
const errorFormat = winston.format((info) => {
  if (info.err instanceof Error) info.err = errorFields(info.err);
  return info;
});

/** An error's name, message, stack and own fields; its `cause`, if an error, likewise. */
function errorFields(err: Error, depth = 0): Record<string, unknown> {
  const { params: _params, ...own } = err as Error & { params?: unknown; cause?: unknown };
  const message = err.message.replace(PARAMS_TAIL, '');
  const fields: Record<string, unknown> = { name: err.name, message };
  // A cause's stack would repeat most of its wrapper's.
  if (depth === 0) fields.stack = err.stack?.replace(err.message, message);
  Object.assign(fields, own);
  if (own.cause instanceof Error && depth < 3) fields.cause = errorFields(own.cause, depth + 1);
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
