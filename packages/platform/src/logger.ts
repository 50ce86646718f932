import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { type FastifyHttpOptions, type FastifyReply, type FastifyRequest, LogController } from 'fastify'

/**
 * Keys whose values are credentials or passwords: censored wherever they appear in a logged object,
 * at the top level or nested in plain objects down to `SECRET_DEPTH` (so `{ body: { password } }`
 * and `{ req: { headers: { authorization } } }` are covered), and in the own properties of a logged
 * error. Fastify's request serializer writes no headers at all (method, url, host, address).
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password', 'currentPassword', 'newPassword',
  'accessToken', 'refreshToken', 'token',
  'authorization', 'cookie', 'set-cookie'
])
export const CENSOR = '[redacted]'
const SECRET_DEPTH = 3

function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/**
 * Returns `object` itself when it holds no secret (the common case, and then it costs a walk over
 * its own keys and nothing else), or a copy with every secret replaced by `[redacted]`. This runs
 * as pino's `formatters.log`, before the serializers, on every line.
 *
 * It replaced pino's `redact` option: with wildcard paths (`*.password`) pino's redaction clones
 * and re-serializes every top-level value of every line, which was the largest cost of the access
 * line on the retirement hot path (docs/benchmarks.md).
 */
export function censorSecrets (object: Record<string, unknown>, depth = 1): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(object)) {
    const value = object[key]
    let replacement = value
    if (SECRET_KEYS.has(key)) {
      if (value !== undefined && value !== null) replacement = CENSOR
    } else if (depth < SECRET_DEPTH && isPlainObject(value)) {
      replacement = censorSecrets(value, depth + 1)
    } else if (depth === 1 && value instanceof Error && Object.keys(value).some((name) => SECRET_KEYS.has(name))) {
      // pino's error serializer passes a plain object through; keep what it would have written.
      replacement = { ...censorSecrets({ ...value }, depth + 1), type: value.name, message: value.message, stack: value.stack }
    }
    if (replacement !== value) {
      copy ??= { ...object }
      copy[key] = replacement
    }
  }
  return copy ?? object
}

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
      formatters: { log: censorSecrets },
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
