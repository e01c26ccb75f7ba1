import type { Request } from 'express';
import { AppError } from '@todo/service-runtime';

/** The header a request authenticated by the refresh cookie must carry, with the value `1`. */
export const CSRF_HEADER = 'X-CSRF';

function sameOriginAs(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/**
 * Refuses (403) a cookie-authenticated request another site's page could have sent. A page on
 * another origin cannot add a custom header without a CORS preflight, which only the configured
 * origins pass; SameSite=Strict already keeps the cookie off cross-site requests in current
 * browsers, so this is the second lock, and the Origin check a third for browsers that send one.
 */
export function assertNotCrossSite(req: Request, allowedOrigins: readonly string[]): void {
  if (req.get(CSRF_HEADER) !== '1') {
    throw new AppError(
      'forbidden',
      `a request authenticated by the refresh cookie must send the header ${CSRF_HEADER}: 1`,
      [{ field: CSRF_HEADER, message: 'required (value 1) when the refresh cookie authenticates' }],
    );
  }
  const origin = req.get('origin');
  if (origin !== undefined && !allowedOrigins.includes(origin) && !sameOriginAs(origin, req)) {
    throw new AppError('forbidden', 'requests from this origin may not use the refresh cookie', [
      { field: 'Origin', message: 'not one of CORS_ORIGINS, nor this API’s own origin' },
    ]);
  }
}
