import { migrationRoundTrip } from '@nestegg/platform/testing'
import t from 'tap'
import { migrations } from '../../src/db/migrations/index.js'

// On SQLite by default, on PostgreSQL when TEST_RETIREMENT_DATABASE_URL names a server: every migration's
// up and down must run on both engines.
t.test('the migrations go up, all the way down, and up again', async (t) => {
  const trip = await migrationRoundTrip(process.env.TEST_RETIREMENT_DATABASE_URL, t.name, migrations)
  t.ok(trip.up.length > 0, `up created ${trip.up.join(', ')}`)
  t.equal(trip.downError, undefined, 'every down ran')
  t.equal(trip.downCount, Object.keys(migrations).length)
  t.same(trip.afterDown, [], 'down removed every table up created')
  t.same(trip.upAgain, trip.up, 'up again recreates the same tables')
})
