import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mintAccessToken, mintLogoutToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

const form = (token: string) => ({
  method: 'POST' as const,
  url: '/internal/backchannel-logout',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ logout_token: token }).toString()
})

t.test('a logout token from the bank ends the session here, at once, and only that session', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const ended = mintAccessToken(alice, { secret, claims: { sid: 'sid-ended' } })
  const other = mintAccessToken(alice, { secret, claims: { sid: 'sid-other' } })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${ended}` } })).statusCode, 200)

  const response = await app.inject(form(mintLogoutToken({ sessionId: 'sid-ended', userId: alice.id }, { secret })))
  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')

  const refused = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${ended}` } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'AUTH_SESSION_REVOKED')
  t.equal((await app.inject({ url: '/api/plans', headers: { authorization: `Bearer ${ended}` } })).statusCode, 401)
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${other}` } })).statusCode, 200)
})

t.test('a forged, foreign or mistyped logout token is a 401 and ends nothing', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const session = { sessionId: 'sid-1', userId: alice.id }
  for (const token of [
    mintLogoutToken(session, { secret: randomSecret() }),
    mintAccessToken(alice, { secret, claims: { sid: 'sid-1' } }),
    mintLogoutToken(session, { secret, claims: { aud: 'nestegg-bank' } }),
    'garbage'
  ]) {
    t.equal((await app.inject(form(token))).statusCode, 401)
  }
  t.equal((await app.inject({ ...form('x'), payload: 'logout_token=x&extra=1' })).statusCode, 400)
  const still = mintAccessToken(alice, { secret, claims: { sid: 'sid-1' } })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${still}` } })).statusCode, 200)
})

t.test('the deny-list survives a restart, and lets go once every access token of the session has expired', async (t) => {
  const secret = randomSecret()
  const file = join(mkdtempSync(join(tmpdir(), 'nestegg-ret-')), 'retirement.db')
  const env = { JWT_SECRET: secret, DATABASE_URL: `sqlite:${file}` }
  let now = Date.now()
  const clock = () => now
  const first = await buildTestApp(t, env, { clock })
  await first.app.inject(form(mintLogoutToken({ sessionId: 'sid-r', userId: alice.id }, { secret })))
  await first.app.close()

  const second = await buildTestApp(t, env, { clock })
  const token = mintAccessToken(alice, { secret, claims: { sid: 'sid-r' } })
  t.equal((await second.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'still refused after a restart')
  now += (900 + 30 + 1) * 1000
  const rows = await second.app.database.db.selectFrom('revoked_sessions').selectAll().execute()
  t.equal(rows.length, 1)
  t.equal((await second.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'no longer needed: its tokens have all expired')
})
