import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const Status = Type.Object({ status: Type.String() }, { additionalProperties: false })

/** /healthz: the process answers. /readyz: its dependencies (the database) answer too. */
export async function healthRoutes (app: FastifyInstance, options: { ready: () => Promise<void> }): Promise<void> {
  app.get('/healthz', {
    schema: { hide: true, response: { 200: Status } } as never,
    logLevel: 'warn'
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    schema: { hide: true, response: { 200: Status, 503: Status } } as never,
    logLevel: 'warn'
  }, async (request, reply) => {
    try {
      await options.ready()
      return { status: 'ready' }
    } catch (error) {
      request.log.warn({ err: error }, 'not ready')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
