// The one "log once, again when the cause changes, info when it clears" that the bank's delivery
// report and a party's trust check share.
import Fastify from 'fastify'
import t from 'tap'
import { createProblemLog } from '../src/problem-log.js'

function capture () {
  const lines: Array<{ level: number, msg: string, party?: string }> = []
  const app = Fastify({ logger: { level: 'debug', stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } } })
  return { log: app.log, lines }
}

t.test('a problem is logged once per cause, kept until it clears, and its clearing said once', async (t) => {
  const { log, lines } = capture()
  const problems = createProblemLog<string>(log)
  problems.raise('insurance', 'refuses our tokens', { party: 'insurance' })
  problems.raise('insurance', 'refuses our tokens', { party: 'insurance' })
  t.same(lines.map((line) => [line.level, line.msg, line.party]), [[50, 'refuses our tokens', 'insurance']], 'the same cause again: no second line')
  t.ok(problems.has('insurance'))
  t.same(problems.problems(), ['refuses our tokens'])

  problems.raise('insurance', 'not reached for 30 s', { party: 'insurance' }, 'insurance: not reached for 30 s')
  t.same(lines.at(-1), { ...lines.at(-1), level: 50, msg: 'insurance: not reached for 30 s' }, 'a new cause is logged, with its own line')
  t.same(problems.problems(), ['not reached for 30 s'], 'the problem kept is the cause, not the line')
  problems.raise('retirement', 'refuses our tokens')
  t.same(problems.problems(), ['not reached for 30 s', 'refuses our tokens'], 'one per key')

  problems.clear('insurance', { party: 'insurance' }, 'insurance is fine again')
  problems.clear('insurance', { party: 'insurance' }, 'insurance is fine again')
  t.same(lines.filter((line) => line.level === 30).map((line) => line.msg), ['insurance is fine again'], 'cleared once, said once')
  t.notOk(problems.has('insurance'))
  t.same(problems.problems(), ['refuses our tokens'])
  t.equal(lines.length, 4)
})
