import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@nestegg/platform/testing'
import { randomSecret } from '@nestegg/shared-auth/testing'
import t, { type Test } from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { startService } from './support/services.js'
import { type SyncAudit, auditTrace, straceAvailable, straceWrapper } from './support/sync-trace.js'

// Proof that money is acknowledged only after its commit is on disk: the bank runs under strace
// (following its threads: the sync runs on libuv's thread pool), and every 201 it writes to a socket
// must come after a sync of SQLite's write-ahead log that started after the transfer's commit was
// written to it. The same audit must catch a bank that does not sync (synchronous = NORMAL).

const CLIENTS = 16
const TRANSFERS_EACH = 12

async function tracedTransfers (t: Test, extraEnv: Record<string, string>): Promise<{ audit: SyncAudit, booked: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-durability-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const databaseFile = join(dir, 'bank.db')
  const traceFile = join(dir, 'bank.trace')
  const port = await freePort()
  const bank = await startService('bank', port, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    JWT_SECRET: randomSecret(),
    BANK_URL: `http://localhost:${port}`,
    RETIREMENT_URL: 'http://localhost:9',
    DATABASE_URL: `sqlite:${databaseFile}`,
    ...extraEnv
  }, straceWrapper(traceFile))
  // bank.process is strace; the bank's own pid is on its log lines. Ending it ends strace.
  const pid = bank.logs.find((line) => typeof line.pid === 'number')?.pid as number
  const stopped = once(bank.process, 'exit')
  t.teardown(async () => {
    if (bank.process.exitCode === null && bank.process.signalCode === null) {
      process.kill(pid, 'SIGKILL')
      await stopped
    }
  })

  const user = await signupAndLogin(bank.url, 'durable')
  const headers = { authorization: `Bearer ${user.token}` }
  const accounts = (await request(`${bank.url}/api/accounts`, { headers })).body as Array<{ id: string, type: string }>
  const body = {
    fromAccountId: accounts.find((a) => a.type === 'checking')?.id,
    toAccountId: accounts.find((a) => a.type === 'savings')?.id,
    amountCents: 1
  }
  let booked = 0
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; i < TRANSFERS_EACH; i++) {
      const response = await request(`${bank.url}/api/transfers`, {
        method: 'POST', headers: { ...headers, 'idempotency-key': `durable-${client}-${i}` }, json: body
      })
      if (response.status === 201) booked++
    }
  }))
  process.kill(pid, 'SIGTERM')
  await stopped
  return { audit: auditTrace(traceFile, databaseFile), booked }
}

t.test('every acknowledged transfer follows a sync of the write-ahead log', {
  skip: !straceAvailable() && process.env.CI === undefined && 'strace is not installed or cannot trace here (apt-get install strace)'
}, async (t) => {
  const { audit, booked } = await tracedTransfers(t, {})
  t.equal(booked, CLIENTS * TRANSFERS_EACH, 'every transfer answered 201')
  // The signup answers 201 too.
  t.ok(audit.answered >= booked, `the trace holds every answer (${audit.answered})`)
  t.ok(audit.matchedAnswers >= booked, 'each transfer answered was found in the log, by its id')
  t.equal(audit.unsyncedAnswers, 0, 'no 201 was written before a sync, started after its commit was written, had returned')
  t.ok(audit.walSyncs > 0, `the write-ahead log was synced (${audit.walSyncs} times)`)
  // The commits' syncs run on libuv's thread pool, so the event loop serves requests meanwhile.
  t.ok(audit.offThreadSyncs > 0, `the log was synced off the thread that writes it (${audit.offThreadSyncs} times)`)
  // How many transfers shared a sync depends on how the requests happened to arrive: reported, not
  // asserted (the group-commit tests in platform and bank assert the sharing itself).
  t.comment(`${audit.walSyncs} syncs of the write-ahead log for ${booked} transfers`, audit)
})

t.test('the audit catches a bank that does not sync (SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY=normal)', {
  skip: !straceAvailable() && process.env.CI === undefined && 'strace is not installed or cannot trace here (apt-get install strace)'
}, async (t) => {
  const { audit, booked } = await tracedTransfers(t, { SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY: 'normal' })
  t.equal(booked, CLIENTS * TRANSFERS_EACH)
  t.ok(audit.unsyncedAnswers > 0, `answers written before the log was synced: ${audit.unsyncedAnswers} of ${audit.answered}`)
  t.comment(audit)
})
