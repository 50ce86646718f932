/// <reference types="@fastify/csrf-protection" preserve="true" />
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyView from '@fastify/view'
import type {} from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { createFormat } from './format.js'
import { createKitEta } from './kit-eta.js'
import { pageCsp } from './page-csp.js'
import { timeZoneOf } from './time-zone.js'

// src/ and dist/ both sit one level below the package root, beside views/ and public/.
const KIT_VIEWS = fileURLToPath(new URL('../views/', import.meta.url))
const STYLESHEET = fileURLToPath(new URL('../public/nestegg.css', import.meta.url))
const FAVICON = fileURLToPath(new URL('../public/favicon.svg', import.meta.url))

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A server-rendered page: errors render as HTML, not JSON. */
    page?: boolean
  }
  interface FastifyReply {
    /**
     * Renders a template (inside kit:layout) with the user, a CSRF token, formatters and the navigation.
     * `data.scripts` lists same-origin script URLs the page loads; the page's CSP then allows them.
     */
    page: (template: string, data: Record<string, unknown>) => Promise<FastifyReply>
  }
}

export interface NavItem {
  href: string
  label: string
  /** Paths under this item besides its href ("/accounts/" under "Accounts"). */
  prefixes?: string[]
}

export interface WebKitOptions {
  /** Picks the accent colour: the one thing besides the name that differs between the services. */
  service: 'bank' | 'retirement'
  /** "Bank", "Retirement": shown after "Nestegg". */
  product: string
  nav: NavItem[]
  /** The bank logs out with its own form; retirement links to the bank's log-out page. */
  logout: { form: string } | { link: string }
  /** Where the customer sets their time zone (the bank's settings page). */
  settingsUrl: string
  /** The service's own templates. */
  viewsDir: string
  /** Production caches templates and the stylesheet; development reads them on every request. */
  production: boolean
  /** Origins besides this one that forms may post to (CSP form-action). */
  formActions?: string[]
  /** Values every template of the service can use (it.bankUrl, it.retirementUrl). */
  locals?: Record<string, unknown>
}

/** Left out of the OpenAPI documents (@fastify/swagger reads `hide`; the kit does not depend on it). */
const HIDDEN = { hide: true } as FastifySchema

function currentNav (nav: NavItem[], path: string): string | null {
  const item = nav.find((candidate) => candidate.href === path) ??
    nav.find((candidate) => (candidate.prefixes ?? []).some((prefix) => path.startsWith(prefix)))
  return item?.href ?? null
}

function accentFavicon (service: WebKitOptions['service']): string {
  return readFileSync(FAVICON, 'utf8').replace('currentColor', service === 'bank' ? '#1f5f8b' : '#1d6b48')
}

export const webKitPlugin = fp(async function webKit (app: FastifyInstance, options: WebKitOptions) {
  await app.register(fastifyView, {
    engine: { eta: createKitEta(KIT_VIEWS) },
    root: options.viewsDir,
    production: options.production
  })

  // One stylesheet for both services: read once in production, on every request in development so
  // that an edit shows on reload.
  const cached = options.production ? readFileSync(STYLESHEET) : null
  app.get('/assets/nestegg.css', { schema: HIDDEN, logLevel: 'warn' }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8')
      .header('cache-control', options.production ? 'public, max-age=300' : 'no-cache')
      .send(cached ?? readFileSync(STYLESHEET)))

  const favicon = accentFavicon(options.service)
  for (const url of ['/assets/favicon.svg', '/favicon.ico']) {
    app.get(url, { schema: HIDDEN, logLevel: 'warn' }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon))
  }

  const csp = pageCsp(options.formActions)
  const scriptCsp = pageCsp(options.formActions, true)
  const kit = {
    service: options.service,
    product: options.product,
    nav: options.nav,
    logout: options.logout,
    settingsUrl: options.settingsUrl
  }
  app.decorateReply('page', async function page (this: FastifyReply, template: string, data: Record<string, unknown>) {
    const request: FastifyRequest = this.request
    const path = request.url.split('?')[0] ?? '/'
    const scripts = Array.isArray(data.scripts) && data.scripts.length > 0
    this.header('content-security-policy', scripts ? scriptCsp : csp)
    return this.type('text/html; charset=utf-8').view(template, {
      kit,
      current: currentNav(options.nav, path),
      format: createFormat(timeZoneOf(request)),
      user: (request as unknown as { user?: unknown }).user ?? null,
      csrfToken: this.generateCsrf(),
      notice: null,
      scripts: [],
      ...options.locals,
      ...data
    })
  })
}, { name: '@nestegg/web-kit', fastify: '5.x', dependencies: ['@nestegg/shared-auth', '@nestegg/platform/security'] })
