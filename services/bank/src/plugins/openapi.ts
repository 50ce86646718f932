import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The route schemas become an OpenAPI document (/docs/json) browsable at /docs. Registered before
 * the routes so that it sees them. Page routes hide themselves with `schema.hide`.
 */
export const openApiPlugin = fp(async function openApi (app: FastifyInstance, options: { bankUrl: string, cookieName: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Nestegg Bank API',
        version: '0.1.0',
        description: 'Accounts, a double-entry ledger and idempotent transfers. Money is integer cents. ' +
          'Cookie-authenticated state changes need an x-csrf-token (GET /api/csrf-token) and a same-site Origin; ' +
          'Bearer requests need neither.'
      },
      servers: [{ url: options.bankUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: options.cookieName }
        }
      }
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Only /docs: Swagger UI needs its hashed inline scripts and inline style attributes (a style hash
    // would switch 'unsafe-inline' off); everything else stays as strict as the pages.
    transformStaticCSP: () => [
      "default-src 'none'",
      "base-uri 'none'",
      "connect-src 'self'",
      "font-src 'self' data:",
      "frame-ancestors 'none'",
      "img-src 'self' data:",
      "object-src 'none'",
      `script-src 'self' ${app.swaggerCSP.script.join(' ')}`,
      "style-src 'self' 'unsafe-inline'"
    ].join('; ')
  })
}, { name: 'bank-openapi', fastify: '5.x' })
