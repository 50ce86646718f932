import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { contributePage } from './contribute.js'
import { homePage } from './home.js'
import { planPages } from './plan-pages.js'

/** The HTML pages: no session of their own, the bank's token or a redirect to the bank's login. */
export const pageRoutes: FastifyPluginAsyncTypebox<{ bankUrl: string, retirementUrl: string }> = async (app, options) => {
  await app.register(homePage)
  await app.register(planPages)
  await app.register(contributePage, { bankUrl: options.bankUrl, retirementUrl: options.retirementUrl })
}
