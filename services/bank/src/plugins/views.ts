import { fileURLToPath } from 'node:url'
import { webKitPlugin } from '@nestegg/web-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { history } from '../pages/format.js'

// Both src/plugins and dist/plugins sit two levels below the package root, beside views/.
const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url))

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for pages: verifies the user through shared-auth, or renews through /api/auth/refresh?return_to=. */
  }
}

export interface ViewsOptions {
  production: boolean
  retirementUrl: string
}

/** The bank's pages: the web kit's layout and stylesheet under the bank's name and navigation. */
export const viewsPlugin = fp(async function views (app: FastifyInstance, options: ViewsOptions) {
  const retirementUrl = options.retirementUrl.replace(/\/$/, '')
  await app.register(webKitPlugin, {
    service: 'bank',
    product: 'Bank',
    nav: [
      { href: '/', label: 'Accounts', prefixes: ['/accounts/'] },
      { href: '/transfer', label: 'Transfer', prefixes: ['/transfers/'] },
      { href: '/sessions', label: 'Sessions' },
      { href: '/security', label: 'Security', prefixes: ['/security/'] },
      { href: '/settings', label: 'Settings' },
      { href: `${retirementUrl}/`, label: 'Retirement' }
    ],
    logout: { form: '/logout' },
    settingsUrl: '/settings',
    viewsDir: VIEWS_DIR,
    production: options.production,
    // Login redirects to retirement's return_to; browsers apply form-action to a form's redirects too.
    formActions: [retirementUrl],
    locals: { retirementUrl, history }
  })
}, { name: 'bank-views', fastify: '5.x', dependencies: ['@nestegg/shared-auth', '@nestegg/platform/security'] })
