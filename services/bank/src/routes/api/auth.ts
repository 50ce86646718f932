import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { VerifiedUser } from '@nestegg/shared-auth'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ErrorResponse, Password, PersonName, UserView, Username } from '../../schemas.js'
import { deviceOf } from '../../domain/security/security-events.js'
import { TokenResponse, endSession, issueSessionTokens, sessionToEnd, startSession } from './session-tokens.js'

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Password
}, { additionalProperties: false })

const Signup = Type.Object({
  username: Username,
  password: Password,
  name: PersonName
}, { additionalProperties: false })

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/signup', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Create a user (with a checking and a savings account)',
      body: Signup,
      response: { 201: UserView, 400: ErrorResponse, 409: ErrorResponse }
    }
  }, async (request, reply) => {
    const user = await app.users.signup(request.body)
    return reply.code(201).send(user)
  })

  app.post('/login', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Check a password, start a session; answer the tokens and set the access and refresh cookies',
      body: Credentials,
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const user = await app.users.authenticate(request.body.username, request.body.password, deviceOf(request.headers['user-agent']))
    return issueSessionTokens(app, reply, user, await startSession(app, request, user))
  })

  // Who is logging out is worked out before the CSRF guard: a request that carries the access cookie
  // then counts as cookie-authenticated and needs a same-site origin and the CSRF token, like every
  // other state change the cookie can make; with no valid token it ends nothing, so it needs none.
  const loggingOut = new WeakMap<FastifyRequest, VerifiedUser>()
  async function identifyCaller (request: FastifyRequest): Promise<void> {
    const caller = await sessionToEnd(app, request)
    if (caller !== undefined) loggingOut.set(request, caller)
  }

  app.post('/logout', {
    preHandler: [identifyCaller, app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'End this session (at the bank and, over the back channel, at every relying party); clear the cookies',
      response: { 204: Type.Null(), 403: ErrorResponse }
    }
  }, async (request, reply) => {
    await endSession(app, reply, loggingOut.get(request))
    return reply.code(204).send(null)
  })
}
