import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * OpenAPI 3 from the routes' own TypeBox schemas, JSON at /docs/json and Swagger UI at /docs.
 * Swagger UI sets inline style attributes, so /docs alone allows inline styles; scripts stay 'self'.
 */
async function openApi (app: FastifyInstance, options: { publicUrl: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Nestegg Retirement',
        version: '0.1.0',
        description: 'Retirement plans, projections and contributions from bank accounts. ' +
          'Sign in at the bank: its access token (Bearer header or the shared cookie) works here too.'
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'nestegg_access' }
        }
      },
      security: [{ bearer: [] }, { cookie: [] }]
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: "default-src 'none'; base-uri 'none'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; " +
      "img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'"
  })
}

export const openApiPlugin = fp(openApi, { name: 'retirement-openapi' })
