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
