import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from './app-error.js';
import type { ErrorBody } from './error-body.js';
import type { Logger } from './logger.js';

/** What Node's HTTP parser rejected, in the API's error vocabulary (Node's own choice of status). */
const PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'headers_too_large', message: 'request headers are too large' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: 'payload_too_large',
    message: 'chunk extensions are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'request took too long to arrive' },
};
const MALFORMED = { code: 'bad_request' as const, message: 'malformed HTTP request' };

function clientErrorResponse(errorCode: string | undefined): string {
  const { code, message } = (errorCode && PARSER_ERRORS[errorCode]) || MALFORMED;
  const status = ERROR_CODES[code].status;
  const errorBody: ErrorBody = { error: { code, message } };
  const body = JSON.stringify(errorBody);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Requests Node rejects before Express sees them (headers over the size limit, a malformed
 * request line, a header that arrives too slowly) would otherwise get Node's bare status line with
 * an empty body; clients of this API expect its JSON error shape on every error.
 */
export function answerClientErrorsAsJson(server: Server, logger: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Mirrors Node's default handler: answer only if nothing of a response went out yet.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    logger.info('rejected a malformed HTTP request', { code: err.code });
    socket.end(clientErrorResponse(err.code), () => socket.destroy());
  });
}
