import { createTestDatabase, freePort, type TestDatabase } from '@nestegg/platform/testing'
import { randomSecret } from '@nestegg/shared-auth/testing'
import { markSensitive } from './leaks.js'
import { type RunningService, startService, stopService } from './services.js'

/** Two copies of each service on their own ports, each service's copies sharing one PostgreSQL database. */
export interface TwoCopies {
  bank: [RunningService, RunningService]
  retirement: [RunningService, RunningService]
  stop: () => Promise<void>
}

/** The PostgreSQL servers the e2e suite may use, or undefined when it runs on SQLite only. */
export function postgresForE2e (): { bank: string, retirement: string } | undefined {
  const bank = process.env.E2E_BANK_DATABASE_URL
  const retirement = process.env.E2E_RETIREMENT_DATABASE_URL
  const isPostgres = (url: string | undefined) => url?.startsWith('postgres://') === true || url?.startsWith('postgresql://') === true
  return isPostgres(bank) && isPostgres(retirement) ? { bank: bank as string, retirement: retirement as string } : undefined
}

/**
 * What a load balancer would put behind one name: copies that share a secret and a database and
 * nothing else. The public URLs are those of the first copies (cookies on localhost reach every
 * port anyway). Server to server, copy b of the bank tells copy b of retirement about logouts and
 * copy a of retirement calls copy b of the bank, so a notice or a debit lands on one copy and the
 * other copy can only know of it through the database.
 */
export async function startTwoCopies (servers: { bank: string, retirement: string }): Promise<TwoCopies> {
  const secret = randomSecret()
  markSensitive(secret)
  const ports = { bank: [await freePort(), await freePort()], retirement: [await freePort(), await freePort()] }
  const url = (port: number | undefined) => `http://localhost:${port ?? 0}`
  const databases: Record<'bank' | 'retirement', TestDatabase> = {
    bank: await createTestDatabase(servers.bank, 'copies'),
    retirement: await createTestDatabase(servers.retirement, 'copies')
  }
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    JWT_SECRET: secret,
    BANK_URL: url(ports.bank[0]),
    RETIREMENT_URL: url(ports.retirement[0])
  }
  const bankEnv = { ...common, DATABASE_URL: databases.bank.url }
  const retirementEnv = { ...common, DATABASE_URL: databases.retirement.url }
  const started: RunningService[] = []
  const start = async (name: 'bank' | 'retirement', port: number | undefined, env: Record<string, string>) => {
    const service = await startService(name, port ?? 0, env)
    started.push(service)
    return service
  }
  try {
    // The first copy of each migrates an empty database; the second finds it migrated.
    const bankA = await start('bank', ports.bank[0], { ...bankEnv, RETIREMENT_INTERNAL_URL: url(ports.retirement[0]) })
    const retirementA = await start('retirement', ports.retirement[0], { ...retirementEnv, BANK_INTERNAL_URL: url(ports.bank[1]) })
    const [bankB, retirementB] = await Promise.all([
      start('bank', ports.bank[1], { ...bankEnv, RETIREMENT_INTERNAL_URL: url(ports.retirement[1]) }),
      start('retirement', ports.retirement[1], { ...retirementEnv, BANK_INTERNAL_URL: url(ports.bank[0]) })
    ])
    return {
      bank: [bankA, bankB],
      retirement: [retirementA, retirementB],
      stop: async () => {
        await Promise.all(started.map((service) => stopService(service)))
        await Promise.all([databases.bank.drop(), databases.retirement.drop()])
      }
    }
  } catch (error) {
    await Promise.all(started.map((service) => stopService(service)))
    await Promise.all([databases.bank.drop(), databases.retirement.drop()])
    throw error
  }
}
