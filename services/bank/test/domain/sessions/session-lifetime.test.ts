import t from 'tap'
import { buildTestApp, login, loginAs, testClock } from '../../helper.js'

const refresh = (refreshToken: string) => ({ method: 'POST' as const, url: '/api/auth/refresh', payload: { refreshToken } })

t.test('idle timeout: a session not renewed for 30 minutes ends; renewing keeps it alive', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const kept = await loginAs(app, 'wendy')
  const idle = await login(app, 'wendy')

  let token = kept.refreshToken
  for (let i = 0; i < 4; i++) {
    clock.advance(20 * 60)
    const response = await app.inject(refresh(token))
    t.equal(response.statusCode, 200, `renewed after ${(i + 1) * 20} minutes of activity`)
    token = response.json().refreshToken
  }
  const expired = await app.inject(refresh(idle.refreshToken))
  t.equal(expired.statusCode, 401, 'the other session sat idle for 80 minutes')
  t.equal(expired.json().code, 'AUTH_SESSION_EXPIRED')
})

t.test('absolute lifetime: a session ends after 12 hours even when renewed all along', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, { SESSION_MAX_LIFETIME_SECONDS: '3600', SESSION_IDLE_TIMEOUT_SECONDS: '1800' }, { clock: clock.now })
  let { refreshToken } = await loginAs(app, 'xena')
  for (let minutes = 20; minutes < 60; minutes += 20) {
    clock.advance(20 * 60)
    const response = await app.inject(refresh(refreshToken))
    t.equal(response.statusCode, 200)
    t.ok(response.cookies.find((c) => c.name === 'nestegg_refresh')!.maxAge! <= 3600 - minutes * 60, 'the cookie never outlives the session')
    refreshToken = response.json().refreshToken
  }
  clock.advance(20 * 60)
  const ended = await app.inject(refresh(refreshToken))
  t.equal(ended.statusCode, 401)
  t.equal(ended.json().code, 'AUTH_SESSION_EXPIRED')
  const row = await app.database.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
  t.equal(row.revoked_reason, 'expired')
})

t.test('the defaults are documented values: 15-minute access tokens, 30-minute idle, 12-hour sessions', async (t) => {
  const { config } = await buildTestApp(t)
  t.equal(config.ACCESS_TOKEN_TTL_SECONDS, 900)
  t.equal(config.SESSION_IDLE_TIMEOUT_SECONDS, 1800)
  t.equal(config.SESSION_MAX_LIFETIME_SECONDS, 43200)
  t.equal(config.REFRESH_REUSE_GRACE_SECONDS, 10)
})
