import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { type FastifyHttpOptions, type FastifyReply, type FastifyRequest, LogController } from 'fastify'

/** Everything that could carry a credential or a password never reaches a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'password',
  '*.accessToken',
  '*.refreshToken',
  '*.token'
]

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export interface LoggerSettings {
  level: string
  pretty: boolean
}

/**
 * One access-log line per request, written when it completes and carrying the request (method,
 * url, remote address), the status and the response time. Fastify's default also logs every
 * arrival at info, which doubled the per-request logging cost (see docs/benchmarks.md); the
 * arrival is now a debug line.
 */
export class AccessLogController extends LogController {
  override incomingRequest (request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    }
  }
}

/** Fastify's logger and request-id options: ids travel between services in x-request-id. */
export function serverOptions (settings: LoggerSettings): FastifyHttpOptions<Server> {
  return {
    logger: {
      level: settings.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(settings.pretty
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {})
    },
    requestIdHeader: 'x-request-id',
    logController: new AccessLogController({ requestIdLogLabel: 'reqId' }),
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    }
  }
}
