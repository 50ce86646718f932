// A party that cannot receive the bank's logouts is visible (issue 20, item 2).
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { buildAuthApp } from './helper.js'
import type { LogoutNoticeRow, LogoutOutboxStore } from '../src/index.js'

/** A party whose back-channel route answers `status` (changeable). */
async function answering (t: Test, state: { status: number }) {
  const party = Fastify()
  party.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}))
  party.post('/internal/backchannel-logout', async (_request, reply) => reply.code(state.status).send({}))
  t.teardown(() => party.close())
  return party.listen({ port: 0, host: '127.0.0.1' })
}

/** Notices that stay due until delivered (the retry delay is the store's business, ignored here). */
function outbox (parties: string[]): LogoutOutboxStore {
  const rows: LogoutNoticeRow[] = parties.map((party) => ({ id: `n-${party}`, sessionId: 's1', userId: 'u1', party, attempts: 0 }))
  const done: string[] = []
  return {
    due: async () => rows.filter((row) => !done.includes(row.id)),
    delivered: async (id: string) => { done.push(id) },
    retryAt: async () => {}
  }
}

const errorLines = (logs: Array<Record<string, unknown>>) => logs.filter((line) => line.level === 50)

t.test('a party that refuses logout tokens (401) is named at error level once, with the likely cause, until it accepts them', async (t) => {
  const state = { status: 401 }
  const logs: Array<Record<string, unknown>> = []
  const store = outbox(['retirement'])
  const { app } = await buildAuthApp(t, { service: 'bank', logs, logoutOutbox: store, parties: [{ name: 'retirement', url: await answering(t, state) }] })
  t.same(app.logoutNotices.problems(), [], 'nothing known before a delivery')
  for (let i = 0; i < 3; i++) await app.logoutNotices.runOnce()
  t.equal(errorLines(logs).length, 1, 'three refusals, one error line')
  t.match(errorLines(logs)[0], { party: 'retirement', status: 401, msg: /retirement refuses our logout tokens \(401\): its AUTH_MODE or keys differ from the bank's/ })
  t.match(app.logoutNotices.problems(), [/^retirement refuses our logout tokens/])
  t.equal(logs.filter((line) => line.level === 40).length, 1, 'later refusals are debug lines, not a warning each')

  state.status = 200
  await app.logoutNotices.runOnce()
  t.same(app.logoutNotices.problems(), [], 'cleared once a notice gets through')
  t.ok(logs.some((line) => line.level === 30 && /receives the bank's back-channel notices again/.test(String(line.msg))))
})

t.test('403 is named as a refusal in front of the party', async (t) => {
  const logs: Array<Record<string, unknown>> = []
  const { app } = await buildAuthApp(t, { service: 'bank', logs, logoutOutbox: outbox(['insurance']), parties: [{ name: 'insurance', url: await answering(t, { status: 403 }) }] })
  await app.logoutNotices.runOnce()
  t.match(app.logoutNotices.problems(), [/^insurance forbids our back-channel notices \(403\)/])
})

t.test('a party out of reach beyond the retry budget is reported; within it, it is not', async (t) => {
  let now = 1_000_000
  const logs: Array<Record<string, unknown>> = []
  const { app } = await buildAuthApp(t, {
    service: 'bank',
    logs,
    logoutOutbox: outbox(['retirement']),
    parties: [{ name: 'retirement', url: 'http://127.0.0.1:9' }],
    logoutDelivery: { autoStart: false, clock: () => now, retryBudgetMs: 60_000 }
  })
  await app.logoutNotices.runOnce()
  now += 30_000
  await app.logoutNotices.runOnce()
  t.same(app.logoutNotices.problems(), [], 'failing for 30 s: still within the budget')
  t.same(errorLines(logs), [])
  now += 30_000
  await app.logoutNotices.runOnce()
  await app.logoutNotices.runOnce()
  t.match(app.logoutNotices.problems(), [/^retirement has not been reached at http:\/\/127\.0\.0\.1:9 for 60 s/])
  t.equal(errorLines(logs).length, 1)
})
