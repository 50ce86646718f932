import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import t from 'tap'
import { accountsOf, buildTestApp, ledgerViolations, loginAs, postTransfer } from '../../helper.js'

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

t.test('each broken invariant is reported by name', async (t) => {
  const { app } = await buildTestApp(t)
  const gus = await loginAs(app, 'gus')
  const { checking, savings } = await accountsOf(app, gus)
  t.equal((await postTransfer(app, gus, { fromAccountId: checking.id, toAccountId: savings.id, amountCents: 500 })).statusCode, 201)
  t.same(await ledgerViolations(app), [], 'a healthy ledger')
  const db = app.database.db
  const shift = (id: string, cents: number) => db.updateTable('accounts')
    .set((eb) => ({ balance_cents: eb('balance_cents', '+', cents) })).where('id', '=', id).execute()
  const expectViolation = async (invariant: string, what: string) => {
    const violations = await ledgerViolations(app)
    t.ok(violations.some((line) => line.startsWith(`${invariant}:`)), `${what} → ${invariant}: ${violations.join(' | ')}`)
  }

  // Each corruption bypasses the ledger on purpose, and is undone before the next.
  await shift(savings.id, 1)
  await expectViolation('balances-sum', 'a cent appears from nowhere')
  await shift(savings.id, -1)

  await shift(checking.id, -7)
  await shift(savings.id, 7)
  t.same((await ledgerViolations(app)).map((line) => line.split(':')[0]), ['account-replay', 'account-replay'],
    'balances moved without entries: the sum holds, both accounts drift')
  await shift(checking.id, 7)
  await shift(savings.id, -7)

  await db.updateTable('entries').set({ amount_cents: 499 }).where('account_id', '=', savings.id).where('amount_cents', '=', 500).execute()
  await expectViolation('transfer-entries', 'a transfer whose entries do not sum to zero')
  await db.updateTable('entries').set({ amount_cents: 500 }).where('account_id', '=', savings.id).where('amount_cents', '=', 499).execute()

  if (app.database.engine === 'sqlite') {
    // The CHECK constraint refuses a negative customer balance; switch it off to prove the check sees one.
    await sql`pragma ignore_check_constraints = on`.execute(db)
    await shift(checking.id, -1_000_000)
    await shift(savings.id, 1_000_000)
    await expectViolation('no-negative-balance', 'a customer balance below zero')
    await shift(checking.id, 1_000_000)
    await shift(savings.id, -1_000_000)
    await sql`pragma ignore_check_constraints = off`.execute(db)
  }
  t.same(await ledgerViolations(app), [], 'healthy again once undone')
})

t.test('npm run ledger:check exits 0 on a healthy database and 1 naming a violation', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bank-ledger-check-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const databaseUrl = `sqlite:${join(dir, 'bank.db')}`
  const { app } = await buildTestApp(t, { DATABASE_URL: databaseUrl })
  const hal = await loginAs(app, 'hal')
  const { checking, savings } = await accountsOf(app, hal)
  await postTransfer(app, hal, { fromAccountId: checking.id, toAccountId: savings.id, amountCents: 250 })

  // The source entry point through tsx, as the package script runs the compiled one.
  const check = () => new Promise<{ code: number, stdout: string, stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import=tsx', '--conditions=@nestegg/source', 'src/bin/ledger-check.ts'], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }))
  })
  const healthy = await check()
  t.equal(healthy.code, 0, healthy.stderr)
  t.match(healthy.stdout, /ledger: ok \(4 accounts, 2 transfers, 100000 cents issued\)/)

  await app.database.db.updateTable('accounts').set({ balance_cents: 1 }).where('id', '=', savings.id).execute()
  const broken = await check()
  t.equal(broken.code, 1)
  t.match(broken.stderr, /VIOLATION balances-sum/)
  t.match(broken.stderr, new RegExp(`VIOLATION account-replay: account ${savings.number}`))
})
