import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

function ajv (options: Options): Ajv {
  const instance = new Ajv({
    allErrors: false,
    useDefaults: true,
    // Unknown fields are an error (schemas say additionalProperties: false), never silently dropped.
    removeAdditional: false,
    strict: false,
    ...options
  })
  addFormats.default(instance)
  return instance
}

/**
 * Query strings, params and headers arrive as text and are coerced to their schema types; bodies are
 * not: a JSON amount of "100" is a 400, not 100. Form posts declare their fields as strings.
 */
export function createValidatorCompiler (): FastifySchemaCompiler<unknown> {
  const coercing = ajv({ coerceTypes: 'array' })
  const strict = ajv({ coerceTypes: false })
  return ({ schema, httpPart }) => {
    const compiler = httpPart === 'body' ? strict : coercing
    return compiler.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>
  }
}
