import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AccountId, TransferId } from '../../schemas.js'

const NOTICES = { transfer: 'Your transfer was booked.' } as const

/** The dashboard and one account's history. */
export const accountPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.Literal('transfer')) }) }
  }, async (request, reply) => {
    const accounts = await app.accounts.listForUser(request.user.id)
    const recent = await app.accounts.recent(request.user.id, 10)
    return reply.page('dashboard', {
      title: 'Your accounts',
      accounts,
      totalCents: accounts.reduce((sum, account) => sum + account.balanceCents, 0),
      accountNames: Object.fromEntries(accounts.map((account) => [account.id, account.name])),
      recent,
      notice: request.query.done === undefined ? null : NOTICES[request.query.done]
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
    return reply.page('account', { title: account.name, account, page, before: request.query.before ?? null })
  })
}
