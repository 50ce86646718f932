import t from 'tap'
import { buildTestApp, lateClock, loginAs } from '../../helper.js'

// The passkey-removal rule, which the passkey routes put on their DELETE: here on a stand-in route,
// with logins 10 minutes old.
t.test('requireStepUpFor(passkeyRemoval): a stale sign-in is refused with the challenge unless the rule is off', async (t) => {
  for (const [setting, expected] of [['true', 401], ['false', 204]] as const) {
    const clock = lateClock(600)
    const { app } = await buildTestApp(t, { STEP_UP_PASSKEY_REMOVAL: setting }, {
      securityRetention: false,
      clock: clock.now,
      beforeReady: (app) => {
        app.delete('/test/passkeys/:id', { onRequest: [app.authenticate], preHandler: [app.requireStepUpFor('passkeyRemoval')] }, async (_request, reply) => reply.code(204).send())
      }
    })
    const ann = await loginAs(app, 'ann')
    const response = await app.inject({ method: 'DELETE', url: '/test/passkeys/k1', headers: ann.bearer })
    t.equal(response.statusCode, expected, `STEP_UP_PASSKEY_REMOVAL=${setting}`)
    if (expected === 401) t.match(response.headers['www-authenticate'], /insufficient_user_authentication/)
  }
})
