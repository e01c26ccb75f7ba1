import { Router, type RequestHandler } from 'express';
import { methodNotAllowed, parseInput } from '@todo/service-runtime';
import { loginBodySchema, registerBodySchema } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export function authRouter(deps: {
  auth: AuthService;
  requireAuth: RequestHandler;
  authRateLimit: RequestHandler;
}): Router {
  const router = Router();
  router.post('/register', deps.authRateLimit, async (req, res) => {
    res
      .status(201)
      .json(await deps.auth.register(parseInput(registerBodySchema, req.body, 'body')));
  });
  router.post('/login', deps.authRateLimit, async (req, res) => {
    res.json(await deps.auth.login(parseInput(loginBodySchema, req.body, 'body')));
  });
  router.get('/me', deps.requireAuth, async (_req, res) => {
    res.json(await deps.auth.me(res.locals.userId));
  });
  router.all(['/register', '/login'], methodNotAllowed(['POST']));
  router.all('/me', methodNotAllowed(['GET']));
  return router;
}
