import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Type } from 'typebox'
import { baseConfigProperties, loadConfig } from '../src/config.js'

const schema = Type.Object(baseConfigProperties({ port: 3000 }))
const dir = mkdtempSync(join(tmpdir(), 'nestegg-config-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('DATABASE_PASSWORD_FILE puts the file\'s password into a postgres:// DATABASE_URL', async (t) => {
  const file = join(dir, 'password')
  writeFileSync(file, 's3cret/with:odd@chars\n')
  const config = loadConfig(schema, { DATABASE_URL: 'postgres://bank@db:5432/bank', DATABASE_PASSWORD_FILE: file })
  const url = new URL(config.DATABASE_URL ?? '')
  t.equal(url.username, 'bank')
  t.equal(decodeURIComponent(url.password), 's3cret/with:odd@chars', 'trimmed and URL-encoded')
  t.equal(url.host, 'db:5432')
  t.equal(url.pathname, '/bank')
})

t.test('DATABASE_PASSWORD_FILE problems stop start-up with a message that names it', async (t) => {
  const file = join(dir, 'other')
  writeFileSync(file, 'pw')
  const empty = join(dir, 'empty')
  writeFileSync(empty, '\n')
  t.throws(() => loadConfig(schema, { DATABASE_PASSWORD_FILE: file }), { name: 'ConfigError', message: /DATABASE_PASSWORD_FILE needs a postgres:\/\/ DATABASE_URL/ })
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'sqlite::memory:', DATABASE_PASSWORD_FILE: file }), { message: /needs a postgres/ })
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'postgres://u@h/d', DATABASE_PASSWORD_FILE: join(dir, 'missing') }), { message: /DATABASE_PASSWORD_FILE .*cannot be read: ENOENT/ })
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'postgres://u@h/d', DATABASE_PASSWORD_FILE: empty }), { message: /DATABASE_PASSWORD_FILE .* is empty/ })
  t.throws(() => loadConfig(schema, { DATABASE_URL: 'postgres://u:inline@h/d', DATABASE_PASSWORD_FILE: file }), { message: /has a password and DATABASE_PASSWORD_FILE is set/ })
})

t.test('without DATABASE_PASSWORD_FILE the URL is left as given', async (t) => {
  t.equal(loadConfig(schema, { DATABASE_URL: 'postgres://u:p@h:5432/d' }).DATABASE_URL, 'postgres://u:p@h:5432/d')
})
