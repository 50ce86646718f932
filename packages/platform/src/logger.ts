import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import type { FastifyHttpOptions } from 'fastify'

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
    requestIdLogLabel: 'reqId',
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    },
    disableRequestLogging: false
  }
}
