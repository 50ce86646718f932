// Per-service secrets (docker/secret-init.sh): each service mounts only its own secrets volume, so
// the bank cannot read retirement's database password and retirement cannot read the bank's,
// though both run as the same uid.
import type { Test } from 'tap'
import type { ComposeProject } from '../support/compose-project.js'

const SECRETS = '/run/nestegg-secrets'
// Everywhere a process in the container could find a file: the whole file system but the kernel's.
const SEARCH = ['grep', '-rlF', '--no-messages', '--exclude-dir=proc', '--exclude-dir=sys', '--exclude-dir=dev', '-e']

export async function secretChecks (t: Test, project: ComposeProject): Promise<void> {
  await t.test('each service reads its own secrets and no other service\'s', async (t) => {
    // As root in postgres, the one container that holds all three database passwords.
    const postgresSecret = async (name: string) => (await project.exec('postgres', ['cat', `${SECRETS}/${name}`], { user: '0' })).stdout
    const passwords = {
      bank: await postgresSecret('bank-db-password'),
      retirement: await postgresSecret('retirement-db-password'),
      postgres: await postgresSecret('postgres-password')
    }
    t.ok(Object.values(passwords).every((password) => password.length >= 32), 'secret-init generated the three database passwords')

    const pairs = [['bank', 'retirement'], ['retirement', 'bank']] as const
    for (const [service, other] of pairs) {
      const own = await project.exec(service, ['cat', `${SECRETS}/db-password`])
      t.equal(own.stdout, passwords[service], `${service} reads its own database password`)
      const jwt = await project.exec(service, ['cat', `${SECRETS}/jwt-secret`])
      t.ok(jwt.stdout.length >= 32, `${service} reads the JWT secret (hs256: the bank signs, retirement verifies)`)
      const listing = await project.exec(service, ['ls', '-A', SECRETS])
      t.same(listing.stdout.trim().split('\n').sort(), ['db-password', 'jwt-secret'], `${service}'s secrets volume holds its two files and nothing else`)

      // Searched as the service's user, then as root: the password is in no file of the container.
      // grep exits 2 when some file is unreadable, so what counts is the list of files it printed;
      // finding the service's own password first shows that the search works for that user.
      for (const user of ['node', '0']) {
        const who = `${service} (as ${user === '0' ? 'root' : user})`
        const control = await project.exec(service, [...SEARCH, passwords[service], '/'], { user, allowFailure: true })
        t.match(control.stdout, `${SECRETS}/db-password`, `the search inside ${who} finds its own password`)
        for (const [name, password] of [[other, passwords[other]], ['postgres', passwords.postgres]] as const) {
          const found = await project.exec(service, [...SEARCH, password, '/'], { user, allowFailure: true })
          t.equal(found.stdout.trim(), '', `inside ${who}, ${name}'s database password is in no file`)
        }
      }
      const environment = await project.exec(service, ['cat', '/proc/1/environ'])
      t.notOk(Object.values(passwords).some((password) => environment.stdout.includes(password)), `no database password in ${service}'s environment`)
    }
  })
}
