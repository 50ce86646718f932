import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { errorHandlerPlugin, type ErrorHandlerOptions } from './errors.js'
import { serverOptions } from './logger.js'
import { createValidatorCompiler } from './validation.js'

export interface FastifySettings {
  logLevel: string
  /** Pretty logs in development, JSON otherwise. */
  pretty: boolean
  /** TRUST_PROXY: "true", a hop count, or a comma-separated list of addresses. */
  trustProxy: string | undefined
  /** Overrides the logger (tests pass false, or a stream to capture lines). */
  logger?: FastifyServerOptions['logger']
  errors?: ErrorHandlerOptions
}

/** TRUST_PROXY → Fastify's trustProxy. */
export function parseTrustProxy (value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  return value.split(',').map((part) => part.trim())
}

/**
 * A Fastify instance as every Nestegg service starts: logging with request ids and redaction,
 * strict body validation, and one error handler.
 */
export async function createFastify (settings: FastifySettings) {
  const app = Fastify({
    ...serverOptions({ level: settings.logLevel, pretty: settings.pretty }),
    ...(settings.logger !== undefined ? { logger: settings.logger } : {}),
    // Fastify accepts a hop count at run time; its types omit it.
    trustProxy: parseTrustProxy(settings.trustProxy) as boolean | string[]
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(createValidatorCompiler())
  await app.register(errorHandlerPlugin, settings.errors ?? {})
  return app
}

export type ServiceInstance = Awaited<ReturnType<typeof createFastify>>
