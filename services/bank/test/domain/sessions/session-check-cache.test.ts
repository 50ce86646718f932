import t from 'tap'
import { SESSION_RECHECK_MS } from '../../../src/domain/sessions/session-service.js'
import { buildTestApp, login, loginAs, testClock } from '../../helper.js'

const sessionIdOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid as string

t.test('the session check is cached: own revocations are seen at once, another copy\'s within a second', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const me = (headers: Record<string, string>) => app.inject({ url: '/api/me', headers }).then((response) => response.statusCode)

  const first = await loginAs(app, 'quinn')
  t.equal(await me(first.bearer), 200, 'remembered: live')
  await app.sessions.revoke(sessionIdOf(first.token), 'logout')
  t.equal(await me(first.bearer), 401, 'this copy ended it: refused at once, cache or not')

  const second = await login(app, 'quinn')
  t.equal(await me(second.bearer), 200)
  // Another copy of the bank, sharing the database, ends the session: only the table changes here.
  await app.database.db.updateTable('sessions').set({ revoked_at: clock.now(), revoked_reason: 'logout' })
    .where('id', '=', sessionIdOf(second.token)).execute()
  t.equal(await me(second.bearer), 200, 'within the recheck delay the remembered answer stands')
  clock.advance(SESSION_RECHECK_MS / 1000)
  t.equal(await me(second.bearer), 200, 'still at exactly the recheck delay')
  clock.advance(0.001)
  t.equal(await me(second.bearer), 401, 'after it, the table is read again')
})
