import { sql } from 'kysely'
import t from 'tap'
import { listSecurityEvents, recordSecurityEvent } from '../../../src/domain/security/security-events.js'
import { PASSWORD, buildTestApp, login, loginAs, testClock } from '../../helper.js'

const DAY = 86_400_000
const typesOf = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], userId: string) =>
  (await listSecurityEvents(app.database.db, userId)).map((event) => event.type)

t.test('sign-ins, failed attempts, step-ups, password changes and ended sessions are recorded, with method and device', async (t) => {
  const { app } = await buildTestApp(t)
  const firefox = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }
  const ann = await loginAs(app, 'ann')
  const bad = await app.inject({ method: 'POST', url: '/api/auth/login', headers: firefox, payload: { username: 'ann', password: 'wrong' } })
  t.equal(bad.statusCode, 401)
  await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-at-all', password: 'wrong' } })
  const second = await login(app, 'ann', firefox)
  await app.inject({ method: 'POST', url: '/api/auth/step-up', headers: second.bearer, payload: { password: 'wrong' } })
  await app.inject({ method: 'POST', url: '/api/auth/step-up', headers: { ...second.bearer, ...firefox }, payload: { password: PASSWORD } })
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: ann.bearer })
  await app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: second.bearer })
  const events = await listSecurityEvents(app.database.db, ann.id)
  t.same(events.map((event) => event.type).reverse(),
    ['signin', 'signin.failed', 'signin', 'step_up.failed', 'step_up', 'session.ended', 'sessions.ended_all'])
  const failed = events.find((event) => event.type === 'signin.failed')
  t.same([failed?.method, failed?.device], ['password', 'Firefox on Linux'])
  t.equal(events.find((event) => event.type === 'step_up')?.method, 'password')
  t.equal(events.find((event) => event.type === 'sessions.ended_all')?.detail, 'logout everywhere (1 session)')

  const ben = await loginAs(app, 'ben')
  const changed = await app.inject({ method: 'POST', url: '/api/auth/password', headers: ben.bearer, payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase 42' } })
  t.equal(changed.statusCode, 200)
  t.same(await typesOf(app, ben.id), ['password.changed', 'signin'])
  const page = await app.inject({ url: '/security/activity', headers: { authorization: `Bearer ${changed.json().accessToken}`, accept: 'text/html' } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /Password changed/)
  t.notMatch(page.body, /Failed sign-in attempt/, "only the customer's own events")
})

t.test('append-only: the database refuses UPDATE, and DELETE of anything younger than the retention floor', async (t) => {
  const { app } = await buildTestApp(t)
  const { db } = app.database
  await recordSecurityEvent(db, { userId: 'u1', type: 'signin', method: 'password' })
  await t.rejects(db.updateTable('security_events').set({ type: 'step_up' }).execute(), /append-only/)
  await t.rejects(db.deleteFrom('security_events').execute(), /retention purge/)
  await t.rejects(sql`update security_events set user_id = 'u2'`.execute(db), /append-only/)
  t.same(await typesOf(app, 'u1'), ['signin'], 'untouched')
})

t.test('the retention purge deletes events past SECURITY_EVENTS_RETENTION_DAYS and nothing newer', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, { SECURITY_EVENTS_RETENTION_DAYS: '400' }, { clock: clock.now })
  const { db } = app.database
  await recordSecurityEvent(db, { userId: 'u1', type: 'signin', detail: 'old', at: Date.now() - 401 * DAY })
  await recordSecurityEvent(db, { userId: 'u1', type: 'signin', detail: 'kept', at: Date.now() - 399 * DAY })
  await recordSecurityEvent(db, { userId: 'u1', type: 'signin', detail: 'new' })
  t.equal(await app.securityRetention.runOnce(), 1)
  t.same((await listSecurityEvents(db, 'u1')).map((event) => event.detail), ['new', 'kept'])
  await t.rejects(buildTestApp(t, { SECURITY_EVENTS_RETENTION_DAYS: '30' }), /SECURITY_EVENTS_RETENTION_DAYS/, 'below the floor the table enforces')
})
