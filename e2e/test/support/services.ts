import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, freePort, type TestDatabase } from '@nestegg/platform/testing'
import { generateEd25519Jwk, randomSecret } from '@nestegg/shared-auth/testing'
import { markSensitive } from './leaks.js'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The two services of the repository, and the third service built in e2e/insurance from the five steps. */
export type ServiceName = 'bank' | 'retirement' | 'insurance'

export interface RunningService {
  name: ServiceName
  port: number
  /** Where the test reaches it. */
  url: string
  process: ChildProcess
  /** Every JSON log line the process has written so far. */
  logs: Array<Record<string, unknown>>
  /** Raw stdout and stderr, for the log-leak checks and for debugging a failure. */
  output: string[]
  env: Record<string, string>
}

export async function waitForReady (url: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const response = await fetch(`${url}/readyz`)
      if (response.ok) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Until anything answers on the port: the third service has no /readyz, only its one route (and a service that is not to become ready). */
async function waitForListening (url: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await (await fetch(`${url}/api/me`)).body?.cancel()
      return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not start listening`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Starts one service: bank and retirement from their compiled JavaScript, as production runs them;
 * the third service from its one TypeScript file (against shared-auth's compiled JavaScript).
 * `wrapper` runs it under another program (strace in the durability test): then `process` is that program's.
 * `untilListening` waits only until it answers, not until /readyz is 200 (a setup meant to be unready).
 */
export async function startService (name: ServiceName, port: number, env: Record<string, string>, wrapper: string[] = [], options: { untilListening?: boolean } = {}): Promise<RunningService> {
  const insurance = name === 'insurance'
  const script = insurance ? ['--import', 'tsx', join(ROOT, 'e2e', 'insurance', 'server.ts')] : [join(ROOT, 'services', name, 'dist', 'server.js')]
  const command = [...wrapper, process.execPath, ...script]
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: insurance ? join(ROOT, 'e2e') : join(ROOT, 'services', name),
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const service: RunningService = { name, port, url: `http://127.0.0.1:${port}`, process: child, logs: [], output: [], env }
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    service.output.push(chunk)
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      try { service.logs.push(JSON.parse(line)) } catch {}
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => service.output.push(chunk))
  await Promise.race([
    insurance || options.untilListening === true ? waitForListening(service.url) : waitForReady(service.url),
    new Promise((_resolve, reject) => child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${service.output.join('')}`))))
  ])
  return service
}

export async function stopService (service: RunningService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (service.process.exitCode !== null || service.process.signalCode !== null) return
  await new Promise<void>((resolve) => {
    service.process.once('exit', () => resolve())
    service.process.kill(signal)
  })
}

export interface Stack {
  bank: RunningService
  retirement: RunningService
  /** The third service, when the stack was started with it. */
  insurance?: RunningService
  secret: string
  dataDir: string
  /** Public URLs the services were told they run at (localhost, so cookies cross ports). */
  bankUrl: string
  retirementUrl: string
  env: Record<string, string>
  restart: (name: ServiceName, signal?: NodeJS.Signals) => Promise<RunningService>
  /** Stops one service and leaves it down (a failure test), until startOne brings it back. */
  stopOne: (name: ServiceName, signal?: NodeJS.Signals) => Promise<void>
  /** Starts a stopped service again, on its port and database. */
  startOne: (name: ServiceName) => Promise<RunningService>
  /** The DATABASE_URL a service runs on (for commands that read it, like npm run reconcile). */
  databaseUrl: (name: ServiceName) => string
  stop: () => Promise<void>
}

/**
 * Both services as real processes on free ports, with a fresh secret and temporary databases.
 * With AUTH_MODE=eddsa each service gets its own fresh Ed25519 key file instead of the secret.
 * `insurance: true` adds the third service, and the bank learns of it through RELYING_PARTIES.
 */
export async function startStack (extraEnv: Record<string, string> = {}, options: { insurance?: boolean } = {}): Promise<Stack> {
  const secret = randomSecret()
  markSensitive(secret)
  const dataDir = mkdtempSync(join(tmpdir(), 'nestegg-e2e-'))
  const eddsa = extraEnv.AUTH_MODE === 'eddsa'
  const keyEnv = (name: ServiceName): Record<string, string> => {
    if (!eddsa) return {}
    const file = join(dataDir, `${name}-keys.json`)
    writeFileSync(file, JSON.stringify({ keys: [generateEd25519Jwk(`${name}-e2e`)] }), { mode: 0o600 })
    return { JWT_KEYS_FILE: file }
  }
  const keys = { bank: keyEnv('bank'), retirement: keyEnv('retirement'), insurance: keyEnv('insurance') }
  const [bankPort, retirementPort, insurancePort] = [await freePort(), await freePort(), await freePort()]
  const bankUrl = `http://localhost:${bankPort}`
  const retirementUrl = `http://localhost:${retirementPort}`
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    ...(eddsa ? {} : { JWT_SECRET: secret }),
    BANK_URL: bankUrl,
    RETIREMENT_URL: retirementUrl,
    ...extraEnv
  }
  // A file each in dataDir, or, when E2E_<SERVICE>_DATABASE_URL names a PostgreSQL server, a fresh
  // database each on it; either survives restarts and goes away with stop().
  const databases: Record<'bank' | 'retirement', TestDatabase> = {
    bank: await createTestDatabase(process.env.E2E_BANK_DATABASE_URL ?? `sqlite:${join(dataDir, 'bank.db')}`, 'e2e'),
    retirement: await createTestDatabase(process.env.E2E_RETIREMENT_DATABASE_URL ?? `sqlite:${join(dataDir, 'retirement.db')}`, 'e2e')
  }
  const parties = `retirement=${retirementUrl},insurance=http://127.0.0.1:${insurancePort}`
  const envFor = (name: ServiceName): Record<string, string> => name === 'insurance'
    ? { ...env, ...keys.insurance }
    : { ...env, ...keys[name], DATABASE_URL: databases[name].url, ...(name === 'bank' && options.insurance ? { RELYING_PARTIES: parties } : {}) }
  const stack: Stack = {
    bank: await startService('bank', bankPort, envFor('bank')),
    retirement: await startService('retirement', retirementPort, envFor('retirement')),
    ...(options.insurance ? { insurance: await startService('insurance', insurancePort, envFor('insurance')) } : {}),
    secret,
    dataDir,
    bankUrl,
    retirementUrl,
    env,
    restart: async (name, signal = 'SIGTERM') => {
      await stopService(running(name), signal)
      stack[name] = await startService(name, running(name).port, envFor(name))
      return running(name)
    },
    stopOne: (name, signal = 'SIGTERM') => stopService(running(name), signal),
    startOne: async (name) => {
      stack[name] = await startService(name, running(name).port, envFor(name))
      return running(name)
    },
    databaseUrl: (name) => name === 'insurance' ? '' : databases[name].url,
    stop: async () => {
      await Promise.all([stopService(stack.bank), stopService(stack.retirement), ...(stack.insurance ? [stopService(stack.insurance)] : [])])
      await Promise.all([databases.bank.drop(), databases.retirement.drop()])
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  function running (name: ServiceName): RunningService {
    const service = stack[name]
    if (service === undefined) throw new Error(`${name} is not part of this stack`)
    return service
  }
  return stack
}

/** Requests a service has logged so far (one 'request completed' access line each, with `req`). */
export function incomingRequests (service: RunningService): Array<Record<string, unknown>> {
  return service.logs.filter((line) => line.msg === 'request completed' || line.msg === 'request errored')
}

/**
 * Polls until `check` holds (log lines arrive asynchronously), or gives up after `timeoutMs`.
 * `probe`, when given, runs before each check (an HTTP request whose answer `check` reads).
 */
export async function eventually (check: () => boolean, timeoutMs = 5000, probe?: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await probe?.()
    if (check()) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
