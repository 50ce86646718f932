import t from 'tap'
import { DENY_LIST_RECHECK_MS } from '../../../src/domain/sessions/deny-list.js'
import { alice, buildTestApp } from '../../helper.js'

t.test('a session revoked here is refused at once, though answers are reused for a moment', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal(await app.denyList.isRevoked('sid-here'), false)
  await app.denyList.add([{ sessionId: 'sid-here', userId: alice.id, revokedAt: Date.now() }])
  t.equal(await app.denyList.isRevoked('sid-here'), true, 'the remembered "not revoked" was dropped')
})

t.test('a session revoked by another instance sharing the database is refused within the recheck delay', async (t) => {
  const { app, clock } = await buildTestApp(t)
  t.equal(await app.denyList.isRevoked('sid-elsewhere'), false)
  // What another retirement instance does when the back channel reaches it instead of this one.
  await app.database.db.insertInto('revoked_sessions')
    .values({ session_id: 'sid-elsewhere', user_id: alice.id, revoked_at: clock(), expires_at: clock() + 3_600_000 })
    .execute()
  t.equal(await app.denyList.isRevoked('sid-elsewhere'), false, 'the answer read a moment ago is reused')
  clock.advance(DENY_LIST_RECHECK_MS)
  t.equal(await app.denyList.isRevoked('sid-elsewhere'), true)
})
