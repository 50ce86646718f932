import { execFile } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { ROOT, eventually, startStack } from './support/services.js'

interface Sent {
  key: string
  body: Record<string, unknown>
  /** The transfer id when the bank answered 201; undefined when the answer was lost. */
  id?: string
  status?: number
}

/** `npm run ledger:check -w services/bank` on the stack's bank database (the compiled script). */
function ledgerCheck (databaseUrl: string): Promise<{ code: number, output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'services', 'bank', 'dist', 'bin', 'ledger-check.js')], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }))
  })
}

// 32 clients at once, so that the bank dies with group commits in flight: several transfers share
// each commit, and the kill lands inside a batch as often as between two.
const CLIENTS = 32

t.test('SIGKILL during concurrent transfers: answered transfers survive, retried keys book once', async (t) => {
  const stack = await startStack()
  t.teardown(() => stack.stop())
  const user = await signupAndLogin(stack.bank.url, 'crashy')
  const headers = { authorization: `Bearer ${user.token}` }
  const accounts = (await request(`${stack.bank.url}/api/accounts`, { headers })).body as Array<{ id: string, type: string }>
  const checking = accounts.find((a) => a.type === 'checking')?.id as string
  const savings = accounts.find((a) => a.type === 'savings')?.id as string

  const sent: Sent[] = []
  let killed = false
  const send = async (entry: Sent, url: string) => {
    const response = await request(`${url}/api/transfers`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': entry.key },
      json: entry.body
    })
    entry.status = response.status
    if (response.status === 201) entry.id = response.body.id
    return response
  }
  // Each client sends one transfer after another, until the bank dies under them.
  const worker = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const entry: Sent = { key: `crash-${w}-${i}`, body: { fromAccountId: checking, toAccountId: savings, amountCents: 1 + w, memo: `w${w} #${i}` } }
      sent.push(entry)
      try {
        await send(entry, stack.bank.url)
      } catch {
        return // The connection died: this answer is lost.
      }
    }
  }
  const workers = Promise.all(Array.from({ length: CLIENTS }, (_, w) => worker(w)))
  t.ok(await eventually(() => sent.filter((entry) => entry.id).length >= 300, 60000), 'transfers are flowing')
  killed = true
  stack.bank.process.kill('SIGKILL')
  await workers
  await stack.restart('bank')

  const answered = sent.filter((entry) => entry.status === 201)
  const lost = sent.filter((entry) => entry.status === undefined)
  t.ok(answered.length >= 300)
  t.ok(sent.every((entry) => entry.status === undefined || entry.status === 201), 'no request failed for another reason')
  t.comment(`${answered.length} answered, ${lost.length} lost in the crash`)

  // Retry every request whose answer was lost, with its own key, as concurrently as they were sent.
  const retried = await Promise.all(lost.map((entry) => send(entry, stack.bank.url)))
  t.ok(retried.every((response) => response.status === 201), 'every lost request books on retry')
  // Then every request again: each key answers the transfer it booked, and nothing more is booked.
  const again = await Promise.all(sent.map(async (entry) => {
    const response = await request(`${stack.bank.url}/api/transfers`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': entry.key },
      json: entry.body
    })
    return response.status === 201 && response.body.id === entry.id
  }))
  t.ok(again.every(Boolean), 'a second retry of every key answers the same transfer')

  // Every key is now exactly one transfer in savings' history, with the id it was answered with.
  const ids: string[] = []
  let before: string | null = null
  do {
    const query: string = `limit=100${before ? `&before=${before}` : ''}`
    const page = await request(`${stack.bank.url}/api/accounts/${savings}/transactions?${query}`, { headers })
    ids.push(...page.body.items.map((item: { transferId: string }) => item.transferId))
    before = page.body.nextBefore
  } while (before !== null)
  t.equal(ids.length, sent.length, 'one transfer per key')
  t.equal(new Set(ids).size, ids.length, 'no transfer twice')
  t.same([...ids].sort(), sent.map((entry) => entry.id as string).sort(), 'every answered id is in the ledger, and only those')
  const balances = (await request(`${stack.bank.url}/api/accounts`, { headers })).body as Array<{ type: string, balanceCents: number }>
  const total = sent.reduce((sum, entry) => sum + (entry.body.amountCents as number), 0)
  t.equal(balances.find((a) => a.type === 'savings')?.balanceCents, total)

  const check = await ledgerCheck(stack.bank.env.DATABASE_URL as string)
  t.equal(check.code, 0, check.output)
  t.match(check.output, /ledger: ok/)
})
