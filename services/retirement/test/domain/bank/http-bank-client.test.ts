import { loadConfig } from '@nestegg/platform'
import { IssuerConfigSchema, issuer, relyingParty } from '@nestegg/shared-auth'
import { randomSecret } from '@nestegg/shared-auth/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import type { Test } from 'tap'
import { createHttpBankClient } from '../../../src/domain/bank/http-bank-client.js'

import { loadRetirementConfig } from '../../../src/config.js'


/**
 * A stand-in bank endpoint guarded exactly as the bank guards it (shared-auth's
 * requireServiceToken), answering what the test tells it to, and recording what arrived.
 */
async function standInBank (t: Test, secret: string, answer: () => { status: number, body: unknown, delayMs?: number }) {
  // Close even with a keep-alive connection still open: the timed-out call leaves one behind.
  const bank = Fastify({ forceCloseConnections: true })
  await bank.register(issuer, {
    config: loadConfig(IssuerConfigSchema, { NODE_ENV: 'test', JWT_SECRET: secret }),
    parties: [{ name: 'retirement', url: 'http://127.0.0.1:9' }],
    publicUrl: 'http://localhost:3000',
    isSessionRevoked: () => false,
    revokedSince: async () => []
  })
  const seen: Array<Record<string, unknown>> = []
  bank.post('/internal/contributions', { onRequest: [bank.requireServiceToken('contributions')] }, async (request, reply) => {
    seen.push({ caller: request.serviceCaller, key: request.headers['idempotency-key'], requestId: request.headers['x-request-id'], body: request.body })
    const { status, body, delayMs } = answer()
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs))
    return reply.code(status).send(body)
  })
  bank.get('/internal/accounts', { onRequest: [bank.requireServiceToken('accounts:read')] }, async (request) => ({
    accounts: [{ id: 'acc-1', number: '1234508769', name: 'Checking', type: 'checking', balanceCents: 1234, ownerId: request.serviceCaller?.userId }]
  }))
  await bank.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => bank.close())
  const address = bank.server.address()
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, seen }
}

async function retirementSigner (t: Test, secret: string): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(relyingParty, { name: 'retirement', config: loadRetirementConfig({ NODE_ENV: 'test', JWT_SECRET: secret }), catchUp: false })
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const debit = { contributionId: 'c-1', userId: 'u-1', fromAccountId: 'acc-1', amountCents: 500, requestId: 'req-abc' }

t.test('sends a scoped service token for the user, the contribution id as Idempotency-Key, and the request id', async (t) => {
  const secret = randomSecret()
  const bank = await standInBank(t, secret, () => ({ status: 201, body: { transferId: 'tr-9' } }))
  const signer = await retirementSigner(t, secret)
  const client = createHttpBankClient({ baseUrl: bank.url, timeoutMs: 2000, signServiceToken: (r) => signer.signServiceToken(r) })
  t.same(await client.debitForContribution(debit), { kind: 'debited', transferId: 'tr-9' })
  t.match(bank.seen[0], {
    caller: { userId: 'u-1', actor: 'nestegg-retirement', scope: ['contributions'] },
    key: 'c-1',
    requestId: 'req-abc',
    body: { fromAccountId: 'acc-1', amountCents: 500 }
  })
  await client.debitForContribution({ ...debit, contributionId: 'c-2', planName: 'Roth IRA' })
  t.same(bank.seen[1]?.body, { fromAccountId: 'acc-1', amountCents: 500, planName: 'Roth IRA' }, 'the plan\'s name, for the bank\'s history')
  const accounts = await client.listAccounts('u-1')
  t.same(accounts, [{ id: 'acc-1', number: '1234508769', name: 'Checking', type: 'checking', balanceCents: 1234 }], 'only the fields retirement uses (the number for "Checking ··8769")')
})

t.test('refusals are final; 5xx, 401, timeouts and refused connections are "try again"', async (t) => {
  const secret = randomSecret()
  let next: { status: number, body: unknown, delayMs?: number } = { status: 409, body: { code: 'BANK_INSUFFICIENT_FUNDS', message: 'Insufficient funds' } }
  const bank = await standInBank(t, secret, () => next)
  const signer = await retirementSigner(t, secret)
  const client = createHttpBankClient({ baseUrl: bank.url, timeoutMs: 5000, signServiceToken: (r) => signer.signServiceToken(r) })
  t.same(await client.debitForContribution(debit), { kind: 'refused', code: 'BANK_INSUFFICIENT_FUNDS', reason: 'Insufficient funds' })
  next = { status: 503, body: { code: 'X' } }
  t.match(await client.debitForContribution(debit), { kind: 'unavailable' })
  // A short timeout only here, so that a loaded machine does not turn the answers above into timeouts.
  const impatient = createHttpBankClient({ baseUrl: bank.url, timeoutMs: 300, signServiceToken: (r) => signer.signServiceToken(r) })
  next = { status: 201, body: { transferId: 'late' }, delayMs: 1000 }
  t.match(await impatient.debitForContribution(debit), { kind: 'unavailable' }, 'slower than the timeout')

  const wrongSecret = await retirementSigner(t, randomSecret())
  const misconfigured = createHttpBankClient({ baseUrl: bank.url, timeoutMs: 2000, signServiceToken: (r) => wrongSecret.signServiceToken(r) })
  t.match(await misconfigured.debitForContribution(debit), { kind: 'unavailable', error: /401/ })

  const nowhere = createHttpBankClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000, signServiceToken: (r) => signer.signServiceToken(r) })
  t.match(await nowhere.debitForContribution(debit), { kind: 'unavailable' })
})
