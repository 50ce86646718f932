import type { ErrorBody } from '@nestegg/platform'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type SafeHtml, html } from '../pages/html.js'
import { layout } from '../pages/layout.js'
import { STYLESHEET } from '../pages/stylesheet.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An HTML page: errors render as a page, not JSON. */
    page?: boolean
  }
  interface FastifyInstance {
    bankUrl: string
  }
  interface FastifyReply {
    page: (title: string, body: SafeHtml, status?: number) => FastifyReply
  }
}

export interface PagesOptions {
  bankUrl: string
}

function isPageRequest (request: FastifyRequest): boolean {
  if (request.routeOptions.config?.page === true) return true
  // No route matched: a browser asking for a page gets a page.
  return request.routeOptions.url === undefined &&
    !request.url.startsWith('/api/') &&
    (request.headers.accept ?? '').includes('text/html')
}

/** For platform's error handler: page requests get an HTML error page with the same status. */
export function createErrorPageRenderer (bankUrl: string) {
  return function renderErrorPage (error: ErrorBody, request: FastifyRequest, reply: FastifyReply): boolean {
    if (!isPageRequest(request)) return false
    const body = html`<section class="notice error"><h1>${error.error}</h1><p>${error.message}</p><p><a href="/">Back to your plans</a></p></section>`
    const user = request.user as { name?: string } | undefined
    reply.code(error.statusCode).type('text/html; charset=utf-8')
      .send(layout({ title: error.error, userName: user?.name, bankUrl, body }).value)
    return true
  }
}

async function pages (app: FastifyInstance, options: PagesOptions): Promise<void> {
  const bankBase = options.bankUrl.replace(/\/+$/, '')
  app.decorate('bankUrl', bankBase)

  app.decorateReply('page', function page (this: FastifyReply, title: string, body: SafeHtml, status = 200) {
    const user = this.request.user as { name?: string } | undefined
    return this.code(status).type('text/html; charset=utf-8')
      .send(layout({ title, userName: user?.name, bankUrl: bankBase, body }).value)
  })

  app.get('/assets/retirement.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(STYLESHEET))
}

export const pagesPlugin = fp(pages, { name: 'retirement-pages', dependencies: ['@nestegg/shared-auth'] })
