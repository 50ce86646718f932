import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { resolveJwtSecret } from '../src/index.js'

const long = 'k'.repeat(40)
const temp = () => mkdtempSync(join(tmpdir(), 'nestegg-secret-'))

t.test('JWT_SECRET is used as given when long enough', async (t) => {
  t.equal(resolveJwtSecret({ JWT_SECRET: long }), long)
})

t.test('a secret shorter than 32 bytes stops start-up with a message that says so', async (t) => {
  t.throws(() => resolveJwtSecret({ JWT_SECRET: 'short' }), { name: 'AuthConfigError', message: /JWT_SECRET is 5 bytes.*at least 32 bytes/ })
  const file = join(temp(), 'secret')
  writeFileSync(file, 'tiny\n')
  t.throws(() => resolveJwtSecret({ JWT_SECRET_FILE: file }), /JWT_SECRET_FILE is 4 bytes/)
})

t.test('JWT_SECRET_FILE is read and trimmed; an unreadable file names the variable', async (t) => {
  const file = join(temp(), 'secret')
  writeFileSync(file, `${long}\n`)
  t.equal(resolveJwtSecret({ JWT_SECRET_FILE: file }), long)
  t.throws(() => resolveJwtSecret({ JWT_SECRET_FILE: join(temp(), 'missing') }), /JWT_SECRET_FILE .* cannot be read/)
})

t.test('in production a missing secret is an error, never a default', async (t) => {
  const devFile = join(temp(), 'jwt-secret')
  t.throws(() => resolveJwtSecret({ NODE_ENV: 'production' }, devFile), /must be set when NODE_ENV=production/)
  t.throws(() => readFileSync(devFile), 'no dev secret was written')
})

t.test('in development every service shares one generated secret file', async (t) => {
  const devFile = join(temp(), 'nested', 'jwt-secret')
  const first = resolveJwtSecret({ NODE_ENV: 'development' }, devFile)
  const second = resolveJwtSecret({}, devFile)
  t.equal(first, second)
  t.ok(Buffer.byteLength(first) >= 32)
  t.equal(readFileSync(devFile, 'utf8').trim(), first)
})
