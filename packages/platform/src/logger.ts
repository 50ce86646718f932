import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { type FastifyHttpOptions, type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { acceptableRequestId, censorUrl } from './log-url.js'

/**
 * Keys whose values are credentials or passwords: censored wherever they appear in a logged object
 * or a child logger's bindings, at the top level or nested down to `SECRET_DEPTH` (so
 * `{ body: { password } }`, a parsed form body or query whatever its prototype, and
 * `{ req: { headers: { authorization } } }` are covered), and in the own properties of a logged
 * error. In a child logger's bindings, pino's `redact` censors the same keys at the top level and
 * the credential headers under `headers`. Fastify's request serializer writes no headers at all
 * (method, url, host, address).
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password', 'currentPassword', 'newPassword',
  'accessToken', 'refreshToken', 'token',
  'authorization', 'cookie', 'set-cookie'
])
export const CENSOR = '[redacted]'
const SECRET_DEPTH = 3
/** Top-level keys whose request and reply objects pino's serializers reduce to safe fields. */
const SERIALIZED = new Set(['req', 'res'])

function isPlainObject (value: unknown): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** Worth walking: records of any prototype (form bodies are `Empty` objects), not arrays or bytes. */
function isRecord (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) &&
    !(value instanceof Error) && !(value instanceof Date)
}

/** The same error (class, message, stack, cause) with its secret own properties censored. */
function censorError (error: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error
  for (const name of Object.getOwnPropertyNames(error)) {
    Object.defineProperty(copy, name, Object.getOwnPropertyDescriptor(error, name) as PropertyDescriptor)
  }
  // V8 keeps `stack` as an accessor bound to the original error's internal slot: read it there.
  Object.defineProperty(copy, 'stack', { value: error.stack, writable: true, configurable: true })
  const censored = censorSecrets(copy as unknown as Record<string, unknown>, depth)
  for (const key of Object.keys(censored)) (copy as unknown as Record<string, unknown>)[key] = censored[key]
  return copy
}

function holdsSecret (error: Error): boolean {
  return Object.keys(error).some((name) => SECRET_KEYS.has(name) || isRecord((error as unknown as Record<string, unknown>)[name]))
}

/**
 * Returns `object` itself when it holds no secret (the common case, and then it costs a walk over
 * its own keys and nothing else), or a copy with every secret replaced by `[redacted]`. This runs
 * as pino's `formatters.log` (before the serializers) on every line.
 *
 * It replaced pino's `redact` option: with wildcard paths (`*.password`) pino's redaction clones
 * and re-serializes every top-level value of every line.
 */
export function censorSecrets (object: Record<string, unknown>, depth = 1): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(object)) {
    const value = object[key]
    let replacement = value
    if (SECRET_KEYS.has(key)) {
      if (value !== undefined && value !== null) replacement = CENSOR
    } else if (value instanceof Error) {
      if (depth < SECRET_DEPTH && holdsSecret(value)) replacement = censorError(value, depth + 1)
    } else if (depth < SECRET_DEPTH && isRecord(value) && !(depth === 1 && SERIALIZED.has(key) && !isPlainObject(value))) {
      replacement = censorSecrets(value, depth + 1)
    }
    if (replacement !== value) {
      copy ??= { ...object }
      copy[key] = replacement
    }
  }
  return copy ?? object
}

/** What `redact` censors in child bindings: a secret key at the top, or a credential header. */
const BINDING_PATHS = [...SECRET_KEYS].map((key) => `["${key}"]`)
  .concat(['authorization', 'cookie', 'set-cookie'].map((header) => `headers["${header}"]`))

export interface LoggerSettings {
  level: string
  pretty: boolean
}

/**
 * One access-log line per request, written when it completes and carrying the request (method,
 * url, remote address), the status and the response time. Fastify's default also logs every
 * arrival at info, a second line per request; the arrival is now a debug line.
 */
export class AccessLogController extends LogController {
  override incomingRequest (request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return
    request.log.debug({ req: request }, 'incoming request')
  }

  // Fastify's own line writes the raw URL; ours goes through censorUrl like the access line.
  override routeNotFound (request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return
    request.log.info({ req: request }, 'route not found')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: roundedTime(reply) }, 'request errored')
    } else {
      reply.log.info({ req: request, res: reply, responseTime: roundedTime(reply) }, 'request completed')
    }
  }
}

/** Development logs: one line per request ("request completed GET /api/me 200 1.2 ms"), one per event. */
export const PRETTY_OPTIONS = {
  translateTime: 'HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,reqId,req,res,responseTime',
  messageFormat: '{msg}{if req} {req.method} {req.url}{end}{if res} {res.statusCode}{end}{if responseTime} {responseTime} ms{end}'
}

/** Milliseconds to a hundredth: finer digits are timer noise. */
function roundedTime (reply: FastifyReply): number {
  return Math.round(reply.elapsedTime * 100) / 100
}

/** Fastify's logger and request-id options: ids travel between services in x-request-id. */
export function serverOptions (settings: LoggerSettings): FastifyHttpOptions<Server> {
  return {
    logger: {
      level: settings.level,
      formatters: { log: censorSecrets },
      // pino applies no formatter to a child logger's bindings, but it does apply `redact`. Exact
      // paths (no wildcard) cost nothing on lines that lack those keys, such as the access line.
      redact: { paths: BINDING_PATHS, censor: CENSOR },
      // Fastify's request serializer, with the URL and host through censorUrl (log-url.ts).
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: censorUrl(request.url, CENSOR),
          version: request.headers?.['accept-version'] as string | undefined,
          host: censorUrl(request.host, CENSOR),
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort
        })
      },
      ...(settings.pretty
        ? { transport: { target: 'pino-pretty', options: PRETTY_OPTIONS } }
        : {})
    },
    // Not requestIdHeader: Fastify would then take the header as it is and never ask genReqId.
    requestIdHeader: false,
    logController: new AccessLogController({ requestIdLogLabel: 'reqId' }),
    genReqId: (request) => {
      const incoming = request.headers['x-request-id']
      return acceptableRequestId(incoming) ? incoming : randomUUID()
    }
  }
}
