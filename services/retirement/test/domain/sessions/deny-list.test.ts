import t from 'tap'
import { DENY_LIST_RECHECK_MS, databaseDenyList } from '../../../src/domain/sessions/deny-list.js'
import { alice, buildTestApp } from '../../helper.js'

t.test('a session revoked here is refused at once, though answers are reused for a moment', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const denyList = databaseDenyList(app.database.db, { clock })
  t.equal(await denyList.isRevoked('sid-here'), false)
  await denyList.add([{ sessionId: 'sid-here', userId: alice.id, revokedAt: clock(), expiresAt: clock() + 60_000 }])
  t.equal(await denyList.isRevoked('sid-here'), true, 'the remembered "not revoked" was dropped')
})

t.test('a session revoked by another instance sharing the database is refused within the recheck delay', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const denyList = databaseDenyList(app.database.db, { clock })
  t.equal(await denyList.isRevoked('sid-elsewhere'), false)
  // What another retirement instance does when the back channel reaches it instead of this one.
  await app.database.db.insertInto('revoked_sessions')
    .values({ session_id: 'sid-elsewhere', user_id: alice.id, revoked_at: clock(), expires_at: clock() + 3_600_000 })
    .execute()
  t.equal(await denyList.isRevoked('sid-elsewhere'), false, 'the answer read a moment ago is reused')
  clock.advance(DENY_LIST_RECHECK_MS + 1)
  t.equal(await denyList.isRevoked('sid-elsewhere'), true)
})
