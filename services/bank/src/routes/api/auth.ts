import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, Password, PersonName, UserView, Username } from '../../schemas.js'

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Password
}, { additionalProperties: false })

const Signup = Type.Object({
  username: Username,
  password: Password,
  name: PersonName
}, { additionalProperties: false })

const TokenResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' })
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
      summary: 'Check a password; answer an access token and set the access cookie',
      body: Credentials,
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const user = await app.users.authenticate(request.body.username, request.body.password)
    const { accessToken, expiresIn } = await app.signAccessToken(user)
    reply.setAccessCookie(accessToken)
    return { accessToken, tokenType: 'Bearer' as const, expiresIn }
  })

  app.post('/logout', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Clear the access cookie',
      response: { 204: Type.Null() }
    }
  }, async (_request, reply) => {
    reply.clearAccessCookie()
    return reply.code(204).send(null)
  })
}
