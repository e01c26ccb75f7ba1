import { jsonResponse } from '@todo/service-runtime';
import { route } from '../api-route.js';
import { RATE_LIMITS } from '../rate-limit/limited-routes.js';
import {
  loginBodySchema,
  registerBodySchema,
  tokenResponseSchema,
  userSchema,
} from './auth.schemas.js';

export const AUTH_ROUTES = [
  route({
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create an account and receive an access token',
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.auth,
    request: { body: registerBodySchema },
    responses: { 201: jsonResponse(tokenResponseSchema, 'Registered') },
    errors: { 409: 'An account with this email already exists' },
    handler: ({ body }, { deps }) => deps.auth.register(body),
  }),
  route({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Exchange email and password for an access token',
    tags: ['auth'],
    security: 'public',
    rateLimit: RATE_LIMITS.auth,
    request: { body: loginBodySchema },
    responses: { 200: jsonResponse(tokenResponseSchema, 'Logged in') },
    errors: { 401: 'Wrong email or password' },
    handler: ({ body }, { deps }) => deps.auth.login(body),
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
];
