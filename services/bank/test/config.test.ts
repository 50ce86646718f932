import t from 'tap'
import { loadBankConfig } from '../src/config.js'

t.test('defaults: port 3000 on 127.0.0.1, public URLs on localhost', async (t) => {
  const config = loadBankConfig({})
  t.equal(config.PORT, 3000)
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.BANK_URL, 'http://localhost:3000')
  t.equal(config.RETIREMENT_URL, 'http://localhost:3001')
  t.equal(config.ACCESS_TOKEN_TTL_SECONDS, 900)
})

t.test('a bad value stops start-up with a message naming the variable', async (t) => {
  t.throws(() => loadBankConfig({ PORT: 'seventy' }), { name: 'ConfigError', message: /PORT/ })
  t.throws(() => loadBankConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  t.throws(() => loadBankConfig({ BANK_URL: 'ftp://bank' }), /BANK_URL/)
  t.throws(() => loadBankConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
})

t.test('passkey settings default to the bank URL and refuse a pair browsers would reject', async (t) => {
  const { webAuthnSettings } = await import('../src/domain/passkeys/webauthn-settings.js')
  t.same(webAuthnSettings(loadBankConfig({ BANK_URL: 'https://bank.example.com/' })), { rpId: 'bank.example.com', rpName: 'Nestegg Bank', origin: 'https://bank.example.com' })
  t.equal(webAuthnSettings(loadBankConfig({ BANK_URL: 'https://bank.example.com', WEBAUTHN_RP_ID: 'example.com' })).rpId, 'example.com', 'a domain above the host')
  t.throws(() => loadBankConfig({ BANK_URL: 'https://bank.example.com', WEBAUTHN_RP_ID: 'evil.com' }), { name: 'ConfigError', message: /WEBAUTHN_RP_ID/ })
  t.throws(() => loadBankConfig({ WEBAUTHN_RP_ID: 'ample.com', WEBAUTHN_ORIGIN: 'https://example.com' }), /WEBAUTHN_RP_ID/, 'a suffix that is not a domain above')
  t.throws(() => loadBankConfig({ WEBAUTHN_ORIGIN: 'https://bank.example.com/login' }), /WEBAUTHN_ORIGIN/, 'an origin, not a page')
})
