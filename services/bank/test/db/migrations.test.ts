import { migrationRoundTrip } from '@nestegg/platform/testing'
import t from 'tap'
import { migrations } from '../../src/db/migrations/index.js'
import { BANK_OWNED_ACCOUNTS } from '../../src/domain/ledger/bank-accounts.js'
import { buildTestApp } from '../helper.js'

// On SQLite by default, on PostgreSQL when TEST_BANK_DATABASE_URL names a server: every migration's
// up and down must run on both engines.
t.test('the migrations go up, all the way down, and up again', async (t) => {
  const trip = await migrationRoundTrip(process.env.TEST_BANK_DATABASE_URL, t.name, migrations)
  t.ok(trip.up.length > 0, `up created ${trip.up.join(', ')}`)
  t.equal(trip.downError, undefined, 'every down ran')
  t.equal(trip.downCount, Object.keys(migrations).length)
  t.same(trip.afterDown, [], 'down removed every table up created')
  t.same(trip.upAgain, trip.up, 'up again recreates the same tables')
})

t.test("the bank's own accounts the ledger migration creates are the ones live code names", async (t) => {
  const { app } = await buildTestApp(t)
  const rows = await app.database.db.selectFrom('accounts').select(['id', 'number', 'type', 'name']).where('user_id', 'is', null).orderBy('id').execute()
  t.same(rows, [...BANK_OWNED_ACCOUNTS].map(({ id, number, type, name }) => ({ id, number, type, name })).sort((a, b) => a.id.localeCompare(b.id)))
})
