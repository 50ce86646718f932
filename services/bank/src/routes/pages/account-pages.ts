import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { lastDigits } from '@nestegg/web-kit'
import { Type } from 'typebox'
import { AccountId, TransferId } from '../../schemas.js'

/** The dashboard and one account's history. */
export const accountPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    // ?welcome=1 after sign-up. Any other query is ignored rather than refused: it is only a greeting.
    schema: { hide: true, querystring: Type.Object({ welcome: Type.Optional(Type.String({ maxLength: 8 })) }) }
  }, async (request, reply) => {
    const accounts = await app.accounts.listForUser(request.user.id)
    const recent = await app.accounts.recent(request.user.id, 10)
    return reply.page('dashboard', {
      title: 'Your accounts',
      accounts,
      totalCents: accounts.reduce((sum, account) => sum + account.balanceCents, 0),
      accountNames: Object.fromEntries(accounts.map((account) => [account.id, `${account.name} ${lastDigits(account.number)}`])),
      recent,
      notice: request.query.welcome === undefined
        ? null
        : { kind: 'success', id: 'welcome', text: `Welcome to Nestegg, ${request.user.name}. Your checking and savings accounts are open.` }
    })
  })

  app.get('/accounts/:id', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: {
      hide: true,
      params: Type.Object({ id: AccountId }),
      querystring: Type.Object({ before: Type.Optional(TransferId) })
    }
  }, async (request, reply) => {
    const account = await app.accounts.getOwned(request.user.id, request.params.id)
    const page = await app.accounts.history(request.user.id, account.id, { limit: 20, before: request.query.before })
    return reply.page('account', { title: `${account.name} ${lastDigits(account.number)}`, account, page, before: request.query.before ?? null })
  })
}
