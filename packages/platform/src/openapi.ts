/// <reference types="@fastify/swagger" preserve="true" />
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'

export interface OpenApiOptions {
  title: string
  description: string
  publicUrl: string
  /** The access cookie's name (shared-auth's ACCESS_COOKIE_NAME). */
  accessCookieName: string
}

/** How a protected route shows in the document: the bank's access token, as a Bearer header or the cookie. */
export const USER_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }]

function hooksOf (route: RouteOptions): unknown[] {
  const hooks = route.onRequest
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
}

/** The relying party's guard, found by its decorator's name: platform sits below shared-auth. */
function authenticateOf (app: FastifyInstance): unknown {
  return (app as unknown as { authenticate?: unknown }).authenticate
}

/**
 * One OpenAPI 3.1 document per service from the route schemas (JSON at /docs/json, Swagger UI at
 * /docs), by the same rules in both: a route guarded by `authenticate` lists the security schemes;
 * routes under /internal (service to service) are left out of the public
 * document, as pages are (`schema.hide`). Register it before any route, so that it sees them all.
 */
export const openApiPlugin = fp(async function openApi (app: FastifyInstance, options: OpenApiOptions) {
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as Record<string, unknown>
    if (route.url === '/internal' || route.url.startsWith('/internal/')) {
      route.schema = { ...schema, hide: true } as RouteOptions['schema']
    } else if (app.hasDecorator('authenticate') && hooksOf(route).includes(authenticateOf(app)) && schema.security === undefined) {
      route.schema = { ...schema, security: USER_SECURITY } as RouteOptions['schema']
    }
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, version: '0.1.0', description: options.description },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: options.accessCookieName }
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
}, { name: '@nestegg/platform/openapi', fastify: '5.x' })
