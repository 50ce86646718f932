import { fileURLToPath } from 'node:url'
import { webKitPlugin } from '@nestegg/web-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'

// Both src/plugins and dist/plugins sit two levels below the package root, beside views/.
const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url))

declare module 'fastify' {
  interface FastifyInstance {
    bankUrl: string
  }
}

export interface PagesOptions {
  bankUrl: string
  retirementUrl: string
  production: boolean
}

/** Retirement's pages: the web kit's layout and stylesheet under retirement's name and navigation. */
async function pages (app: FastifyInstance, options: PagesOptions): Promise<void> {
  const bankBase = options.bankUrl.replace(/\/+$/, '')
  const retirementBase = options.retirementUrl.replace(/\/+$/, '')
  app.decorate('bankUrl', bankBase)

  await app.register(webKitPlugin, {
    service: 'retirement',
    product: 'Retirement',
    nav: [
      { href: '/', label: 'Plans', prefixes: ['/plans/'] },
      { href: '/plans/new', label: 'Open a plan' },
      { href: '/contribute', label: 'Contribute' },
      { href: `${bankBase}/`, label: 'Bank' }
    ],
    // Retirement cannot post the bank's CSRF token: the bank's log-out page asks and posts its own form.
    logout: { link: `${bankBase}/logout` },
    settingsUrl: `${bankBase}/settings`,
    viewsDir: VIEWS_DIR,
    production: options.production,
    // The contribute form's step-up redirects to the bank; browsers apply form-action to a form's redirects.
    formActions: [bankBase],
    locals: { bankUrl: bankBase }
  })
}

export const pagesPlugin = fp(pages, { name: 'retirement-pages', dependencies: ['@nestegg/shared-auth', '@nestegg/platform/security'] })
