import t from 'tap'
import { PASSWORD, accountsOf, buildTestApp, lateClock, loginAs } from '../../helper.js'
import { signedInPages } from '../../page-client.js'

const claimsOf = (cookie: string | undefined) => JSON.parse(Buffer.from((cookie ?? '').split('.')[1] ?? '', 'base64url').toString())

t.test('a stale sign-in on the transfer form: to the step-up page and back to the form as typed', async (t) => {
  const clock = lateClock(600)
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '500000' }, { clock: clock.now })
  const ned = await loginAs(app, 'ned')
  const ora = await loginAs(app, 'ora')
  const neds = await accountsOf(app, ned)
  const oras = await accountsOf(app, ora)
  const browser = await signedInPages(app, 'ned')
  const form = await browser.get('/transfer')
  const typed = {
    fromAccountId: neds.checking.id,
    toAccountId: '',
    toAccountNumber: oras.checking.number,
    amount: '1500.00',
    memo: 'the deposit for the flat',
    idempotencyKey: browser.hidden(form, 'idempotencyKey')
  }
  const sent = await browser.post('/transfer', typed)
  t.equal(sent.statusCode, 303)
  const stepUp = new URL(sent.headers.location as string, 'http://localhost:3000')
  t.equal(stepUp.pathname, '/step-up')
  t.equal(stepUp.searchParams.get('acr'), 'nestegg:pwd')
  t.equal(stepUp.searchParams.get('max_age'), '300')
  const back = stepUp.searchParams.get('return_to') as string
  t.match(back, /^\/transfer\?/)
  t.equal((await accountsOf(app, ora)).checking.balanceCents, 500000, 'nothing booked')

  const page = await browser.get(`${stepUp.pathname}${stepUp.search}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /id="step-up-password"/)
  t.equal(browser.hidden(page, 'return_to'), back.replaceAll('&', '&amp;'), 'the way back rides in the form')

  const wrong = await browser.post('/step-up', { password: 'not it', return_to: back, acr: 'nestegg:pwd', max_age: '300' })
  t.equal(wrong.statusCode, 403)
  t.match(wrong.body, /That password is not correct/)

  clock.catchUp()
  const before = claimsOf(browser.jar.get('nestegg_access'))
  const done = await browser.post('/step-up', { password: PASSWORD, return_to: back, acr: 'nestegg:pwd', max_age: '300' })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, back, 'back to the form')
  const after = claimsOf(browser.jar.get('nestegg_access'))
  t.equal(after.sid, before.sid, 'the same session')
  t.ok(after.auth_time > before.auth_time, 'its sign-in raised')

  const refilled = await browser.get(back)
  t.equal(refilled.statusCode, 200)
  t.match(refilled.body, new RegExp(`value="${oras.checking.number}"`), 'the account number typed')
  t.match(refilled.body, /value="1500.00"/, 'the amount typed')
  t.match(refilled.body, /the deposit for the flat/, 'the memo typed')
  t.equal(browser.hidden(refilled, 'idempotencyKey'), typed.idempotencyKey, 'the same idempotency key: one transfer at most')

  const review = await browser.post('/transfer', { ...typed, idempotencyKey: browser.hidden(refilled, 'idempotencyKey') })
  t.equal(review.statusCode, 200, 'now the review page')
  const booked = await browser.post('/transfer', { ...typed, step: 'confirm' })
  t.equal(booked.statusCode, 303)
  t.match(booked.headers.location, /^\/transfers\//)
  t.equal((await accountsOf(app, ora)).checking.balanceCents, 650000)
})

t.test('the step-up page: return_to is validated as at login; a passkey level hides the password form', async (t) => {
  const { app } = await buildTestApp(t)
  await loginAs(app, 'pam')
  const browser = await signedInPages(app, 'pam')
  const evil = await browser.get('/step-up?return_to=https://evil.example/steal')
  t.equal(browser.hidden(evil, 'return_to'), '/', 'an outside address falls back to /')
  const done = await browser.post('/step-up', { password: PASSWORD, return_to: '//evil.example/x' })
  t.equal(done.headers.location, '/')
  const passkey = await browser.get('/step-up?acr=nestegg:passkey&return_to=/transfer')
  t.notMatch(passkey.body, /id="step-up-password"/)
  t.match(passkey.body, /id="step-up-passkey-needed"/)
  const forced = await browser.post('/step-up', { password: PASSWORD, acr: 'nestegg:passkey', return_to: '/' })
  t.equal(forced.statusCode, 400, 'a password cannot meet the passkey level')
  const anonymous = await app.inject({ url: '/step-up?return_to=/transfer', headers: { accept: 'text/html' } })
  t.equal(anonymous.statusCode, 302, 'signed out: to the refresh and login first')
})

t.test('the password page asks for a step-up first (no password in any URL), then changes it', async (t) => {
  const clock = lateClock(600)
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  await loginAs(app, 'quin')
  const browser = await signedInPages(app, 'quin')
  const page = await browser.get('/security/password')
  t.equal(page.statusCode, 303)
  t.match(page.headers.location, /^\/step-up\?return_to=%2Fsecurity%2Fpassword&acr=nestegg%3Apwd&max_age=300$/)
  clock.catchUp()
  await browser.get(page.headers.location as string)
  await browser.post('/step-up', { password: PASSWORD, return_to: '/security/password' })
  const form = await browser.get('/security/password')
  t.equal(form.statusCode, 200)
  const changed = await browser.post('/security/password', { currentPassword: PASSWORD, newPassword: 'another fine passphrase 7' })
  t.equal(changed.statusCode, 303)
  t.equal(changed.headers.location, '/security/activity?password_changed=1')
  const activity = await browser.get('/security/activity?password_changed=1')
  t.match(activity.body, /id="password-changed"/)
  t.match(activity.body, /data-type="password.changed"/)
  t.match(activity.body, /data-type="step_up"/)
})
