import { createTestDatabase } from '@nestegg/platform/testing'
import { randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { loadBankConfig } from '../../../src/config.js'
import { lateClock, loginAs } from '../../helper.js'

// The passkey-removal rule, which the passkey routes put on their DELETE: here on a stand-in route,
// with logins 10 minutes old.
t.test('requireStepUpFor(passkeyRemoval): a stale sign-in is refused with the challenge unless the rule is off', async (t) => {
  for (const [setting, expected] of [['true', 401], ['false', 204]] as const) {
    const database = await createTestDatabase(process.env.TEST_BANK_DATABASE_URL, `${t.name}-${setting}`)
    const config = loadBankConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomSecret(),
      DATABASE_URL: database.url,
      RETIREMENT_INTERNAL_URL: 'http://127.0.0.1:9',
      STEP_UP_PASSKEY_REMOVAL: setting
    })
    const clock = lateClock(600)
    const app = await buildApp(config, { logger: false, backchannel: false, securityRetention: false, clock: clock.now })
    t.teardown(async () => {
      try { await app.close() } finally { await database.drop() }
    })
    app.delete('/test/passkeys/:id', { onRequest: [app.authenticate], preHandler: [app.requireStepUpFor('passkeyRemoval')] }, async (_request, reply) => reply.code(204).send())
    await app.ready()
    const ann = await loginAs(app, 'ann')
    const response = await app.inject({ method: 'DELETE', url: '/test/passkeys/k1', headers: ann.bearer })
    t.equal(response.statusCode, expected, `STEP_UP_PASSKEY_REMOVAL=${setting}`)
    if (expected === 401) t.match(response.headers['www-authenticate'], /insufficient_user_authentication/)
  }
})
