import { spawn } from 'node:child_process'
import { request } from './http.js'
import { ROOT, type Stack } from './services.js'

/** What the e2e contribution tests read and do, through each service's public API. */
export function moneyFlow (stack: Stack, token: string) {
  const auth = { authorization: `Bearer ${token}` }
  return {
    async checking (): Promise<{ id: string, balanceCents: number }> {
      const accounts = await request(`${stack.bank.url}/api/accounts`, { headers: auth })
      const account = (accounts.body as Array<{ id: string, type: string, balanceCents: number }>).find((candidate) => candidate.type === 'checking')
      if (account === undefined) throw new Error(`no checking account: ${JSON.stringify(accounts.body)}`)
      return account
    },
    async openPlan (type = '401k'): Promise<string> {
      const response = await request(`${stack.retirement.url}/api/plans`, { method: 'POST', headers: auth, json: { type } })
      if (response.status !== 201) throw new Error(`open plan ${response.status}: ${JSON.stringify(response.body)}`)
      return response.body.id
    },
    async planBalance (planId: string): Promise<number> {
      return (await request(`${stack.retirement.url}/api/plans/${planId}`, { headers: auth })).body.balanceCents
    },
    contribute (body: { planId: string, fromAccountId: string, amountCents: number }, key: string) {
      return request(`${stack.retirement.url}/api/contributions`, { method: 'POST', headers: { ...auth, 'idempotency-key': key }, json: body })
    },
    async contribution (id: string) {
      return (await request(`${stack.retirement.url}/api/contributions/${id}`, { headers: auth })).body
    },
    async contributions (planId: string): Promise<Array<{ id: string, status: string, amountCents: number }>> {
      return (await request(`${stack.retirement.url}/api/plans/${planId}/contributions`, { headers: auth })).body
    }
  }
}

/** Runs `npm run reconcile` against both services' databases; resolves its exit code and output. */
export async function runReconcile (stack: Stack): Promise<{ code: number | null, output: string }> {
  const child = spawn('npm', ['run', '--silent', 'reconcile'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BANK_DATABASE_URL: stack.databaseUrl('bank'),
      RETIREMENT_DATABASE_URL: stack.databaseUrl('retirement')
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, output }
}

/** Polls an async check until it holds (the worker's retries arrive on their own), or gives up. */
export async function until (check: () => Promise<boolean>, timeoutMs = 20000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return true
}
