import { test } from 'tap'
import { PASSWORD, buildTestApp, login, signup } from '../../helper.js'
import { pageClient, signedInPages } from '../../page-client.js'
import { registerPasskey } from '../../support/passkeys.js'

async function loggedInPages (app: Parameters<typeof pageClient>[0], username: string) {
  await signup(app, username)
  return signedInPages(app, username)
}

test('the log-in page offers a passkey with scripts of its own origin only, and works without them', async (t) => {
  const { app } = await buildTestApp(t)
  const page = await app.inject({ url: '/login' })
  t.equal(page.statusCode, 200)
  const csp = page.headers['content-security-policy'] as string
  t.match(csp, "script-src 'self'")
  t.notMatch(csp, 'unsafe-inline', 'no inline script')
  t.match(csp, "connect-src 'self'")
  t.match(page.body, /<button type="button" id="passkey-signin"[^>]*hidden>/, 'the passkey button is hidden until the script shows it')
  t.match(page.body, /<form method="post" action="\/login"/, 'the password form needs no script')
  t.notMatch(page.body, /<script>/, 'no inline script element')
  for (const src of ['/assets/passkeys.js', '/assets/simplewebauthn-browser.js']) {
    t.match(page.body, `<script src="${src}" defer></script>`)
    const script = await app.inject({ url: src })
    t.equal(script.statusCode, 200, src)
    t.match(script.headers['content-type'], 'text/javascript')
  }
  const other = await app.inject({ url: '/signup' })
  t.match(other.headers['content-security-policy'], "script-src 'none'", 'pages without a ceremony keep no script at all')
})

test('the security page lists passkeys with their times and removes one with a plain form', async (t) => {
  const { app } = await buildTestApp(t)
  const browser = await loggedInPages(app, 'alice')
  const empty = await browser.get('/security')
  t.equal(empty.statusCode, 200)
  t.match(empty.body, 'id="no-passkeys"')
  t.match(empty.body, 'You have no recovery codes.')

  const key = await registerPasskey(app, await login(app, 'alice'), 'Work laptop')
  const listed = await browser.get('/security')
  t.match(listed.body, /class="passkey-name">Work laptop</)
  t.match(listed.body, /Last used<\/td>|>Never</, 'never used yet')

  const removed = await browser.post(`/security/passkeys/${key.id}/remove`, {})
  t.equal(removed.statusCode, 303)
  t.equal(removed.headers.location, '/security?removed=1')
  const after = await browser.get('/security?removed=1')
  t.match(after.body, 'id="passkey-removed"')
  t.match(after.body, 'id="no-passkeys"')
})

test('recovery codes are shown once on a page and log in through a plain form', async (t) => {
  const { app } = await buildTestApp(t)
  const browser = await loggedInPages(app, 'alice')
  await browser.get('/security')
  const made = await browser.post('/security/recovery-codes', {})
  t.equal(made.statusCode, 200)
  t.equal(made.headers['cache-control'], 'no-store')
  const codes = [...made.body.matchAll(/<code>([0-9A-Z-]+)<\/code>/g)].map((match) => match[1] ?? '')
  t.equal(codes.length, 10)
  t.match((await browser.get('/security')).body, 'You have 10 unused recovery codes.')

  const stranger = pageClient(app)
  await stranger.get('/login/recovery')
  const wrong = await stranger.post('/login/recovery', { username: 'alice', code: 'AAAA-BBBB-CCCC' })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.body, 'Invalid username or recovery code.')
  const right = await stranger.post('/login/recovery', { username: 'alice', code: codes[0] ?? '' })
  t.equal(right.statusCode, 303)
  t.equal(right.headers.location, '/security')
  t.match((await stranger.get('/security')).body, 'You have 9 unused recovery codes.')
})

test('the step-up page offers a passkey to a customer who has one, and only a passkey when one is asked', async (t) => {
  const { app } = await buildTestApp(t)
  const browser = await loggedInPages(app, 'alice')
  const without = await browser.get('/step-up?return_to=%2Fsecurity&acr=nestegg%3Apasskey&max_age=300')
  t.equal(without.statusCode, 200)
  t.notMatch(without.body, 'id="passkey-step-up"', 'no passkey, no button')
  t.match(without.body, 'id="step-up-passkey-needed"')

  await registerPasskey(app, await login(app, 'alice'))
  const withKey = await browser.get('/step-up?return_to=%2Fsecurity&acr=nestegg%3Apasskey&max_age=300')
  t.match(withKey.body, /<button type="button" id="passkey-step-up"[^>]*data-return-to="\/security"[^>]*hidden>/, 'the button, shown by the script')
  t.notMatch(withKey.body, 'id="step-up-password"', 'no password form when a passkey is asked')
  t.match(withKey.headers['content-security-policy'], "script-src 'self'")
  const either = await browser.get('/step-up?return_to=%2Fsecurity&acr=nestegg%3Apwd&max_age=300')
  t.match(either.body, 'id="passkey-step-up"')
  t.match(either.body, 'id="step-up-password"', 'the password form too when the password level is enough')
})
