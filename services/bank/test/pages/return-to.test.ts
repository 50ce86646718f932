import t from 'tap'
import { safeReturnTo } from '../../src/pages/return-to.js'

const BANK = 'http://localhost:3000'
const RETIREMENT = 'http://localhost:3001'
const check = (value: unknown) => safeReturnTo(value, BANK, [RETIREMENT])

t.test('paths on the bank and URLs on the two known origins are honoured', async (t) => {
  t.equal(check('/accounts/abc?before=1#x'), '/accounts/abc?before=1#x')
  t.equal(check('/'), '/')
  t.equal(check('http://localhost:3001/plans/7?x=1'), 'http://localhost:3001/plans/7?x=1')
  t.equal(check('http://localhost:3000/transfer'), 'http://localhost:3000/transfer')
})

t.test('everything else falls back to / (no open redirect)', async (t) => {
  const refused = [
    undefined, '', 42, 'https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example',
    '/\t/evil.example', ' //evil.example', 'javascript:alert(1)', 'data:text/html,hi', 'http://localhost:3002/',
    'https://localhost:3001/', 'http://localhost:3001@evil.example/', 'http://evil.example#http://localhost:3001',
    '/.//evil.example', 'x'.repeat(3000)
  ]
  for (const value of refused) {
    const result = check(value)
    t.ok(result === '/' || (result.startsWith('/') && !result.startsWith('//')) || result.startsWith(`${BANK}/`),
      `${JSON.stringify(value)?.slice(0, 40)} → ${result}`)
    t.notMatch(result, /evil/, `${JSON.stringify(value)?.slice(0, 40)} stays on a known site`)
  }
})
