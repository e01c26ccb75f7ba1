import { jsonResponse, type ResponseDoc } from '@todo/service-runtime';
import { z } from 'zod';
import { route } from '../api-route.js';
import { RATE_LIMITS } from '../rate-limit/limited-routes.js';
import {
  changePasswordBodySchema,
  deleteAccountBodySchema,
  loginBodySchema,
  logoutBodySchema,
  refreshBodySchema,
  refreshResponseSchema,
  registerBodySchema,
  tokenResponseSchema,
  updateMeBodySchema,
  userSchema,
} from './auth.schemas.js';
import { CSRF_HEADER } from './csrf.js';
import { REFRESH_COOKIE_NAME, REFRESH_COOKIE_PATH } from './refresh-cookie.js';
import { answerSignedIn, deleteAccount, logout, refreshSession } from './session-http.js';

const setsRefreshCookie = z.object({
  'Set-Cookie': z.string().meta({
    description: `\`${REFRESH_COOKIE_NAME}=<refresh token>; Path=${REFRESH_COOKIE_PATH}; Max-Age=<seconds until the session ends>; HttpOnly; Secure; SameSite=Strict\``,
  }),
});

const clearsRefreshCookie = z.object({
  'Set-Cookie': z.string().meta({
    description: `\`${REFRESH_COOKIE_NAME}=; Path=${REFRESH_COOKIE_PATH}; Max-Age=0; …\`: the browser drops the cookie`,
  }),
});

const withCookie = (response: ResponseDoc, headers: z.ZodObject): ResponseDoc => ({
  ...response,
  headers,
});

const COOKIE_CSRF = `Sent with the \`${REFRESH_COOKIE_NAME}\` cookie but without \`${CSRF_HEADER}: 1\`, or from an origin not allowed (\`details\` names which)`;

export const AUTH_ROUTES = [
  route({
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create an account and start a session (access token and refresh token)',
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.auth,
    request: { body: registerBodySchema },
    responses: {
      201: withCookie(jsonResponse(tokenResponseSchema, 'Registered'), setsRefreshCookie),
    },
    errors: { 409: 'An account with this email already exists' },
    handler: ({ body }, { deps, res }) => answerSignedIn(deps.auth, res, deps.auth.register(body)),
  }),
  route({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Exchange email and password for a new session (access token and refresh token)',
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.auth,
    request: { body: loginBodySchema },
    responses: {
      200: withCookie(jsonResponse(tokenResponseSchema, 'Logged in'), setsRefreshCookie),
    },
    errors: { 401: 'Wrong email or password' },
    handler: ({ body }, { deps, res }) => answerSignedIn(deps.auth, res, deps.auth.login(body)),
  }),
  route({
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refreshSession',
    summary: `Use a refresh token once (body \`refresh_token\`, or the \`${REFRESH_COOKIE_NAME}\` cookie with \`${CSRF_HEADER}: 1\`) for a new access token and refresh token`,
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.session,
    request: { body: refreshBodySchema },
    responses: {
      200: withCookie(
        jsonResponse(
          refreshResponseSchema,
          'The next pair; the presented refresh token is used up',
        ),
        setsRefreshCookie,
      ),
    },
    errors: {
      401: 'No refresh token, an unknown one, one whose session ended, or one already used (reuse: its whole session is revoked)',
      403: COOKIE_CSRF,
    },
    handler: ({ body }, { deps, req, res }) => refreshSession(deps.auth, req, res, body),
  }),
  route({
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: `End the session named by the refresh token (body or \`${REFRESH_COOKIE_NAME}\` cookie) or else the bearer access token; idempotent`,
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.session,
    request: { body: logoutBodySchema },
    responses: {
      204: { description: 'The session has ended (or had already)', headers: clearsRefreshCookie },
    },
    errors: { 403: COOKIE_CSRF },
    handler: ({ body }, { deps, req, res }) => logout(deps.auth, req, res, body),
  }),
  route({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getMe',
    summary: 'The caller',
    tags: ['auth'],
    security: 'bearer',
    responses: { 200: jsonResponse(userSchema, 'The caller') },
    handler: (_input, { deps, res }) => deps.auth.me(res.locals.userId),
  }),
  route({
    method: 'patch',
    path: '/api/auth/me',
    operationId: 'updateMe',
    summary:
      "Change the caller's name or time zone (dates and new recurring tasks follow the zone; existing series keep theirs)",
    tags: ['auth'],
    security: 'bearer',
    request: { body: updateMeBodySchema },
    responses: { 200: jsonResponse(userSchema, 'The caller, changed') },
    handler: ({ body }, { deps, res }) => deps.auth.updateMe(res.locals.userId, body),
  }),
  route({
    method: 'delete',
    path: '/api/auth/me',
    operationId: 'deleteAccount',
    summary:
      "Delete the caller's account (password required): its tasks and sessions go with it, and its live streams are told",
    tags: ['auth'],
    security: 'bearer',
    rateLimit: RATE_LIMITS.auth,
    request: { body: deleteAccountBodySchema },
    responses: { 204: { description: 'Deleted', headers: clearsRefreshCookie } },
    handler: ({ body }, { deps, res }) => deleteAccount(deps.auth, res, body),
  }),
  route({
    method: 'post',
    path: '/api/auth/password',
    operationId: 'changePassword',
    summary:
      "Change the caller's password: every other session of the account ends, this one continues",
    tags: ['auth'],
    security: 'bearer',
    rateLimit: RATE_LIMITS.auth,
    request: { body: changePasswordBodySchema },
    responses: { 204: { description: 'Changed; other sessions have ended' } },
    handler: ({ body }, { deps, res }) =>
      deps.auth.changePassword(res.locals.userId, res.locals.sessionId, body),
  }),
];
