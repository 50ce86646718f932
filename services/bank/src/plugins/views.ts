/// <reference types="@fastify/csrf-protection" preserve="true" />
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyView from '@fastify/view'
import type { ErrorBody } from '@nestegg/platform'
import { Eta } from 'eta'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { format } from '../pages/format.js'

// Both src/plugins and dist/plugins sit two levels below the package root, beside views/ and public/.
const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url))
const STYLESHEET = fileURLToPath(new URL('../../public/bank.css', import.meta.url))

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A server-rendered page: errors render as HTML, not JSON. */
    page?: boolean
  }
  interface FastifyReply {
    /** Renders a template inside the layout, with the user, a CSRF token for its forms, and formatters. */
    page: (template: string, data: Record<string, unknown>) => Promise<FastifyReply>
  }
}

export interface ViewsOptions {
  production: boolean
  retirementUrl: string
}

/**
 * The bank's pages use exactly this: their own stylesheet, a data: favicon, forms posting to the bank.
 * No script at all. Stricter than the platform's default policy, which /docs and the API keep.
 */
export const pageCsp = (retirementUrl: string): string => [
  "default-src 'none'",
  "base-uri 'none'",
  // Login redirects to retirement's return_to; browsers apply form-action to a form's redirects too.
  `form-action 'self' ${new URL(retirementUrl).origin}`,
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'none'"
].join('; ')

const HEADINGS: Record<number, string> = {
  403: 'That did not work',
  404: 'Not found',
  409: 'That did not work'
}

function wantsPage (request: FastifyRequest): boolean {
  if (request.routeOptions.config?.page === true) return true
  return request.routeOptions.url === undefined && (request.headers.accept ?? '').includes('text/html')
}

/** The platform error handler's hook: page requests get an HTML error page instead of JSON. */
export async function renderErrorPage (error: ErrorBody, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!wantsPage(request) || typeof reply.page !== 'function') return false
  const message = error.code.includes('CSRF')
    ? 'This form has expired or did not come from this site. Go back, reload the page and try again.'
    : error.message
  reply.code(error.statusCode)
  await reply.page('error', {
    title: HEADINGS[error.statusCode] ?? 'Something went wrong',
    heading: HEADINGS[error.statusCode] ?? 'Something went wrong',
    message
  })
  return true
}

export const viewsPlugin = fp(async function views (app: FastifyInstance, options: ViewsOptions) {
  await app.register(fastifyView, {
    // Eta escapes every <%= %> by default; the templates never build HTML from strings.
    engine: { eta: new Eta() },
    root: VIEWS_DIR,
    production: options.production
  })

  const stylesheet = readFileSync(STYLESHEET)
  app.get('/assets/bank.css', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(stylesheet))

  const retirementUrl = options.retirementUrl.replace(/\/$/, '')
  const csp = pageCsp(retirementUrl)
  app.decorateReply('page', async function page (this: FastifyReply, template: string, data: Record<string, unknown>) {
    const user = this.request.user ?? null
    this.header('content-security-policy', csp)
    return this.type('text/html; charset=utf-8').view(template, {
      format,
      retirementUrl,
      user,
      csrfToken: this.generateCsrf(),
      ...data
    })
  })
}, { name: 'bank-views', fastify: '5.x', dependencies: ['@nestegg/shared-auth', '@nestegg/platform/security'] })
