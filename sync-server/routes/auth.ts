// POST /v1/auth/login, /refresh, /logout. Rate limited per client address.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { AppContext } from '../app';
import { HttpError } from '../errors';
import { LOGIN_FAILED } from '../auth/service';
import { STAFF_ROLES } from '../../shared/domain/enums';

const LoginBody = Type.Object({
  clinic: Type.String({ minLength: 1, maxLength: 200, description: 'Clinic id or exact name.' }),
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  deviceName: Type.String({ minLength: 1, maxLength: 100 }),
  deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
type LoginBody = Type.Static<typeof LoginBody>;

const RefreshBody = Type.Object({
  refreshToken: Type.String({ minLength: 16, maxLength: 512 }),
});
type RefreshBody = Type.Static<typeof RefreshBody>;

const TokenPair = {
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'Seconds the access token lasts.' }),
};

const LoginReply = Type.Object({
  ...TokenPair,
  deviceId: Type.String(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Type.Union(STAFF_ROLES.map((role) => Type.Literal(role))),
    providerId: Type.Union([Type.String(), Type.Null()]),
  }),
  clinic: Type.Object({
    id: Type.String(),
    name: Type.String(),
    timeZone: Type.String(),
    currency: Type.String(),
  }),
});

const ErrorReply = Type.Object({
  error: Type.String(),
  message: Type.String(),
  issues: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

export const errorReplies = { 400: ErrorReply, 401: ErrorReply, 429: ErrorReply };

export function registerAuthRoutes(
  app: FastifyInstance,
  context: AppContext,
  rateLimit: { max: number; timeWindow: number },
): void {
  const config = { rateLimit };
  app.post<{ Body: LoginBody }>(
    '/v1/auth/login',
    {
      config,
      schema: {
        tags: ['auth'],
        summary: 'Sign in on a workstation',
        body: LoginBody,
        response: { 200: LoginReply, ...errorReplies },
      },
    },
    async (request) => {
      try {
        return await context.auth.login(request.body);
      } catch (error) {
        if (error instanceof HttpError && error.message === LOGIN_FAILED) {
          context.metrics.loginFailures.inc();
          request.log.info({ event: 'login_failed' }, 'login failed');
        }
        throw error;
      }
    },
  );

  app.post<{ Body: RefreshBody }>(
    '/v1/auth/refresh',
    {
      config,
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new pair (the old one is spent)',
        body: RefreshBody,
        response: { 200: Type.Object(TokenPair), ...errorReplies },
      },
    },
    async (request) => context.auth.refresh(request.body.refreshToken),
  );

  app.post<{ Body: RefreshBody }>(
    '/v1/auth/logout',
    {
      config,
      schema: {
        tags: ['auth'],
        summary: 'End the login the refresh token belongs to',
        body: RefreshBody,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await context.auth.logout(request.body.refreshToken);
      return reply.status(204).send();
    },
  );
}
