import { STATUS_CODES } from 'node:http'
import createError, { type FastifyErrorConstructor } from '@fastify/error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isInvalidText } from './database.js'

/** A code names its package first: `BANK_INSUFFICIENT_FUNDS`, `RET_PLAN_NOT_FOUND`, `AUTH_TOKEN_INVALID`. */
const ERROR_CODE = /^[A-Z]+_[A-Z_]+$/

/**
 * The one way a package defines an error it answers with: its code (package prefix first), its
 * message (`%s`/`%d` take the constructor's arguments) and its status. The error handler below
 * turns it into `{ statusCode, code, error, message }`.
 */
export function codedError<C extends string, S extends number, Args extends unknown[] = [any?, any?, any?]> (
  code: C, message: string, statusCode: S
): FastifyErrorConstructor<{ code: C, statusCode: S }, Args> {
  if (!ERROR_CODE.test(code)) throw new Error(`error code ${code} must be PREFIX_WHAT in capitals`)
  return createError<C, S, Args>(code, message, statusCode)
}

/** An error that answers with extra headers (Retry-After, …); the error handler sends them on a 4xx. */
export function withHeaders<E extends Error> (error: E, headers: Record<string, string>): E & { headers: Record<string, string> } {
  return Object.assign(error, { headers })
}

export interface ErrorBody {
  statusCode: number
  code: string
  error: string
  message: string
}


/**
 * Errors a plugin sends by itself, under its own code, that the API names in its own terms.
 * @fastify/csrf-protection answers a refused token with `reply.send(FST_CSRF_…)` instead of passing
 * the error to its callback, so the security plugin's `csrfGuard` never sees it: the codes are
 * translated here, and every CSRF refusal reads the same (`CSRF_ORIGIN_MISMATCH`, `CSRF_TOKEN_INVALID`).
 */
const RENAMED = new Map<string, { code: string, message: string }>([
  ['FST_CSRF_INVALID_TOKEN', { code: 'CSRF_TOKEN_INVALID', message: 'Missing or invalid CSRF token' }],
  ['FST_CSRF_MISSING_SECRET', { code: 'CSRF_TOKEN_INVALID', message: 'Missing or invalid CSRF token' }]
])

/** Turns any thrown error into Fastify's `{statusCode, code, error, message}`; 5xx detail stays in the log. */
export function toErrorBody (error: FastifyError): ErrorBody {
  // Schemas keep control characters out of what the routes read; this is the net under them, so
  // that text PostgreSQL cannot store is a 400 there as it is on SQLite, never a 500.
  if (isInvalidText(error)) {
    return { statusCode: 400, code: 'INVALID_TEXT', error: 'Bad Request', message: 'Text must not contain NUL characters' }
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600
    ? error.statusCode
    : 500
  // A coded 503 is a refusal the service chose (a dependency it needs is not there yet): the caller
  // may retry, and needs its code to know why. Any other 5xx is a fault whose detail stays in the log.
  if (status === 503 && error.code !== undefined && ERROR_CODE.test(error.code)) {
    return { statusCode: 503, code: error.code, error: 'Service Unavailable', message: error.message }
  }
  if (status >= 500) {
    return { statusCode: status, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error' }
  }
  const renamed = error.code !== undefined ? RENAMED.get(error.code) : undefined
  if (renamed !== undefined) return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...renamed }
  return {
    statusCode: status,
    code: error.code ?? (error.validation ? 'FST_ERR_VALIDATION' : 'BAD_REQUEST'),
    error: STATUS_CODES[status] ?? 'Error',
    message: error.message
  }
}

export interface ErrorHandlerOptions {
  /** Lets a service answer page requests with HTML instead of JSON; return true when handled. */
  renderPage?: (error: ErrorBody, request: FastifyRequest, reply: FastifyReply) => boolean | Promise<boolean>
}

async function errorHandler (app: FastifyInstance, options: ErrorHandlerOptions): Promise<void> {
  app.setErrorHandler(async function handleError (error: FastifyError, request, reply) {
    const body = toErrorBody(error)
    if (body.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
    } else {
      request.log.info({ code: body.code, statusCode: body.statusCode }, body.message)
    }
    // As in Fastify's own handler: an error may carry headers such as Retry-After.
    const headers = (error as { headers?: Record<string, string> }).headers
    if (body.statusCode < 500 && headers !== undefined) reply.headers(headers)
    if (options.renderPage && (await options.renderPage(body, request, reply))) return reply
    return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body)
  })

  app.setNotFoundHandler(async function notFound (request, reply) {
    const body: ErrorBody = {
      statusCode: 404,
      code: 'NOT_FOUND',
      error: 'Not Found',
      message: `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found`
    }
    if (options.renderPage && (await options.renderPage(body, request, reply))) return reply
    return reply.code(404).send(body)
  })
}

export const errorHandlerPlugin = fp(errorHandler, { name: '@nestegg/platform/errors', fastify: '5.x' })
