import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CeremonyOptions, PasskeyName, PasskeyView, RegistrationCredential, passkeyJson } from '../../domain/passkeys/passkey-schemas.js'
import type { Caller } from '../../domain/passkeys/passkey-service.js'
import { deviceOf, recordSecurityEvent } from '../../domain/security/security-events.js'
import { ErrorResponse } from '../../schemas.js'

const PasskeyId = Type.String({ minLength: 1, maxLength: 1400, pattern: '^[A-Za-z0-9_-]+$' })

/** The signed-in customer and session a ceremony is bound to. */
export function callerOf (request: FastifyRequest): Caller {
  return { userId: request.user.id, username: request.user.username, name: request.user.name, sessionId: request.authSession?.sessionId }
}

/** Removes one of the caller's passkeys and records it; for the API and the page (each checks the step-up first). */
export async function removePasskey (app: FastifyInstance, request: FastifyRequest, id: string): Promise<void> {
  const removed = await app.passkeys.remove(request.user.id, id)
  await recordSecurityEvent(app.database.db, { userId: request.user.id, type: 'passkey.removed', device: deviceOf(request.headers['user-agent']), detail: removed.name })
}

/** The signed-in customer's passkeys: list, register (two steps), remove; and fresh recovery codes. */
export const passkeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/passkeys', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['passkeys'],
      summary: "The caller's passkeys, oldest first",
      response: { 200: Type.Array(PasskeyView), 401: ErrorResponse }
    }
  }, async (request) => (await app.passkeys.list(request.user.id)).map(passkeyJson))

  app.post('/passkeys/registration-options', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['passkeys'],
      summary: 'Start registering a passkey: creation options for navigator.credentials.create(); the challenge is good for one answer within 5 minutes',
      response: { 200: CeremonyOptions, 401: ErrorResponse }
    }
  }, async (request) => app.passkeys.registrationOptions(callerOf(request)))

  app.post('/passkeys', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['passkeys'],
      summary: 'Finish registering a passkey with the answer to the options of this session',
      body: Type.Object({ name: PasskeyName, credential: RegistrationCredential }, { additionalProperties: false }),
      response: { 201: PasskeyView, 400: ErrorResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const passkey = await app.passkeys.register(callerOf(request), request.body.name.trim(), request.body.credential)
    await recordSecurityEvent(app.database.db, { userId: request.user.id, type: 'passkey.added', device: deviceOf(request.headers['user-agent']), detail: passkey.name })
    return reply.code(201).send(passkeyJson(passkey))
  })

  app.delete('/passkeys/:id', {
    onRequest: [app.authenticate],
    // The step-up rule before anything else: a stale session learns nothing, not even whether the passkey exists.
    preHandler: [app.requireStepUpFor('passkeyRemoval'), app.csrfGuard],
    schema: {
      tags: ['passkeys'],
      summary: 'Remove one of the caller\'s passkeys (a step-up rule: 401 insufficient_user_authentication without a fresh enough sign-in)',
      params: Type.Object({ id: PasskeyId }, { additionalProperties: false }),
      response: { 204: Type.Null(), 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request, reply) => {
    await removePasskey(app, request, request.params.id)
    return reply.code(204).send(null)
  })

  app.post('/recovery-codes', {
    onRequest: [app.authenticate],
    // Recovery codes sign in like a password: making them is a credential change, under the same rule.
    preHandler: [app.requireStepUpFor('passwordChange'), app.csrfGuard],
    schema: {
      tags: ['passkeys'],
      summary: 'A new set of recovery codes, shown this once; every earlier code stops working (a step-up rule, as a password change)',
      response: { 201: Type.Object({ codes: Type.Array(Type.String()) }, { additionalProperties: false }), 401: ErrorResponse }
    }
  }, async (request, reply) => reply.code(201).send({ codes: await app.recoveryCodes.generate(request.user.id) }))
}
