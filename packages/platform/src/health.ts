import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const Status = Type.Object({ status: Type.String() }, { additionalProperties: false })
const Readiness = Type.Object({
  status: Type.String(),
  /** Why the service is not ready (503), each naming what to change. */
  reasons: Type.Optional(Type.Array(Type.String())),
  /** What is wrong while the service stays ready (200). */
  warnings: Type.Optional(Type.Array(Type.String()))
}, { additionalProperties: false })

/** What a service knows is wrong beyond its database: `problems` make it unready, `warnings` do not. */
export interface ReadinessReport {
  problems?: string[]
  warnings?: string[]
}

export interface HealthOptions {
  /** Its dependencies (the database) answer; a throw is a 503. */
  ready: () => Promise<void>
  report?: () => ReadinessReport
}

/** /healthz: the process answers. /readyz: its dependencies answer too, and nothing it knows of is wrong. */
export async function healthRoutes (app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', {
    schema: { hide: true, response: { 200: Status } } as never,
    logLevel: 'warn'
  }, async () => ({ status: 'ok' }))

  app.get('/readyz', {
    schema: { hide: true, response: { 200: Readiness, 503: Readiness } } as never,
    logLevel: 'warn'
  }, async (request, reply) => {
    const report = options.report?.() ?? {}
    const warnings = report.warnings?.length ? { warnings: report.warnings } : {}
    try {
      await options.ready()
    } catch (error) {
      request.log.warn({ err: error }, 'not ready')
      return reply.code(503).send({ status: 'unavailable', reasons: ['the database does not answer', ...(report.problems ?? [])], ...warnings })
    }
    // The reasons were logged at error level once, when found: /readyz is polled, so it does not log them again.
    if (report.problems?.length) return reply.code(503).send({ status: 'unavailable', reasons: report.problems, ...warnings })
    return { status: 'ready', ...warnings }
  })
}
