import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { DEMO_PASSWORD } from '../src/domain/users/demo-users.js'
import { buildTestApp } from './helper.js'

const script = fileURLToPath(new URL('../src/seed-demo-users.ts', import.meta.url))
const run = promisify(execFile)

t.test('the seed-demo-users process adds alice and bob under NODE_ENV=production, once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-seed-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    JWT_SECRET: randomSecret(),
    DATABASE_URL: `sqlite:${join(dir, 'bank.db')}`
  }
  const seed = () => run(process.execPath, ['--import=tsx', '--conditions=@nestegg/source', script], { env })

  const first = await seed()
  t.match(first.stdout, /"username":"alice".*seeded demo user/)
  t.match(first.stdout, /"username":"bob".*seeded demo user/)
  const second = await seed()
  t.notMatch(second.stdout, /seeded demo user/, 'a second run keeps the users it finds')

  const { app } = await buildTestApp(t, { DATABASE_URL: env.DATABASE_URL })
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: DEMO_PASSWORD } })
  t.equal(login.statusCode, 200, 'alice logs in with the README password')
})

t.test('a bad configuration stops it with a message that names the variable', async (t) => {
  const failure = await run(process.execPath, ['--import=tsx', '--conditions=@nestegg/source', script], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', JWT_SECRET: randomSecret(), PORT: 'seventy' }
  }).then(() => undefined, (error: { code: number, stderr: string }) => error)
  t.equal(failure?.code, 1)
  t.match(failure?.stderr, /seed-demo-users: Invalid configuration: .*PORT/)
})
