import type { Request } from 'express';
import { AppError, type ErrorCode } from './app-error.js';

const messageOf = (err: object): string | undefined =>
  'message' in err && typeof err.message === 'string' ? err.message : undefined;

/** body-parser's errors carry a `type`; map the ones that are the client's fault. */
function fromBodyParserType(err: object): AppError | undefined {
  if (!('type' in err)) return undefined;
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large');
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      // body-parser's own message names the encoding or charset it refused.
      return new AppError('unsupported_media_type', messageOf(err) ?? 'unsupported body encoding');
    default:
      return undefined;
  }
}

const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
};

function clientStatusOf(err: object): number | undefined {
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Errors raised by Express, its router and body-parser follow http-errors: a 4xx `status` says the
 * request was at fault, and `expose: true` says the message is safe to show. Anything else (5xx, no
 * status) stays an unexpected error.
 */
export function fromHttpError(err: unknown, req: Request): AppError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const byType = fromBodyParserType(err);
  if (byType) return byType;
  const status = clientStatusOf(err);
  if (status === undefined) return undefined;

  // The router's decodeURIComponent failure: a 400 without `expose`, whose message quotes the
  // undecodable text back.
  if (err instanceof URIError) {
    return new AppError('bad_request', 'malformed percent-encoding in the path', [
      { field: 'path', message: 'is not valid percent-encoded UTF-8' },
    ]);
  }
  // zlib and brotli report the corruption in their own words ("incorrect header check"); say
  // what was wrong with the request instead.
  const encoding = req.headers['content-encoding'];
  if (status === 400 && 'errno' in err && encoding && encoding !== 'identity') {
    return new AppError('bad_request', `request body is not valid ${encoding} data`, [
      { field: 'body', message: `could not be decompressed (Content-Encoding: ${encoding})` },
    ]);
  }
  const exposed = 'expose' in err && err.expose === true ? messageOf(err) : undefined;
  // Other 4xx statuses are not raised by anything in front of our handlers today; they answer 400.
  return new AppError(CODE_FOR_STATUS[status] ?? 'bad_request', exposed ?? 'bad request');
}
