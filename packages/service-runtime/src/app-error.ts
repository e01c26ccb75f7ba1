/**
 * The one error type services throw for expected failures. Each code has a single HTTP status
 * and log level, so the mapping lives in one table instead of at every throw.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, level: 'info' },
  invalid_json: { status: 400, level: 'info' },
  bad_request: { status: 400, level: 'info' },
  unauthenticated: { status: 401, level: 'info' },
  forbidden: { status: 403, level: 'warn' },
  not_found: { status: 404, level: 'info' },
  method_not_allowed: { status: 405, level: 'info' },
  request_timeout: { status: 408, level: 'info' },
  conflict: { status: 409, level: 'info' },
  /** A conditional request's `If-Match` names another state of the resource (RFC 9110). */
  precondition_failed: { status: 412, level: 'info' },
  payload_too_large: { status: 413, level: 'info' },
  unsupported_media_type: { status: 415, level: 'info' },
  rate_limited: { status: 429, level: 'warn' },
  headers_too_large: { status: 431, level: 'info' },
  internal_error: { status: 500, level: 'error' },
  service_unavailable: { status: 503, level: 'warn' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `tags.3` or `due_date`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, details?: FieldIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }
}
