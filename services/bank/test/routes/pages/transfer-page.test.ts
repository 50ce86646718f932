import t from 'tap'
import { PASSWORD, accountsOf, buildTestApp, ledgerViolations, loginAs } from '../../helper.js'
import { pageClient } from '../../page-client.js'

t.test('the transfer form', async (t) => {
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '200000' })
  const ned = await loginAs(app, 'ned')
  const ora = await loginAs(app, 'ora')
  const neds = await accountsOf(app, ned)
  const oras = await accountsOf(app, ora)
  const browser = pageClient(app)
  await browser.get('/login')
  await browser.post('/login', { username: 'ned', password: PASSWORD })
  const balances = async () => {
    const [n, o] = [await accountsOf(app, ned), await accountsOf(app, ora)]
    return [n.checking.balanceCents, n.savings.balanceCents, o.checking.balanceCents]
  }
  const form = (page: Awaited<ReturnType<typeof browser.get>>, fields: Record<string, string>) => ({
    fromAccountId: neds.checking.id,
    toAccountId: '',
    toAccountNumber: '',
    amount: '',
    memo: '',
    idempotencyKey: browser.hidden(page, 'idempotencyKey'),
    ...fields
  })

  t.test('a transfer between own accounts; submitting the same form twice books once', async (t) => {
    const page = await browser.get('/transfer')
    t.equal(page.statusCode, 200)
    t.match(page.body, /<label for="amount">/)
    const fields = form(page, { toAccountId: neds.savings.id, amount: '12.34', memo: 'rent' })
    const first = await browser.post('/transfer', fields)
    t.equal(first.statusCode, 303)
    t.equal(first.headers.location, '/?done=transfer')
    const again = await browser.post('/transfer', fields)
    t.equal(again.statusCode, 303)
    t.same(await balances(), [200000 - 1234, 1234, 200000])
    t.match((await browser.get('/?done=transfer')).body, 'Your transfer was booked.')
  })

  t.test('paying another customer by account number (spaces allowed)', async (t) => {
    const page = await browser.get('/transfer')
    const spaced = oras.checking.number.replace(/^(\d{4})(\d{4})(\d{2})$/, '$1 $2 $3')
    const response = await browser.post('/transfer', form(page, { toAccountNumber: spaced, amount: '$1,000' }))
    t.equal(response.statusCode, 303)
    t.same(await balances(), [200000 - 1234 - 100000, 1234, 300000])
  })

  t.test('a memo or an id with a control character is refused as the JSON API refuses it; nothing is booked', async (t) => {
    const before = await balances()
    const attempts: Array<Record<string, string>> = [
      { toAccountId: neds.savings.id, amount: '1.00', memo: 'rent\u0000' },
      { toAccountId: neds.savings.id, amount: '1.00', memo: 'bell\u0007' },
      { toAccountId: `${neds.savings.id}\u0000`, amount: '1.00' }
    ]
    for (const fields of attempts) {
      const page = await browser.get('/transfer')
      const response = await browser.post('/transfer', form(page, fields))
      t.equal(response.statusCode, 400, JSON.stringify(fields))
    }
    t.same(await balances(), before)
  })

  t.test('a failed transfer shows its error, keeps the values and changes nothing', async (t) => {
    const before = await balances()
    const page = await browser.get('/transfer')
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ toAccountId: neds.savings.id, amount: '1000000' }, 409, /Insufficient funds/],
      [{ toAccountId: neds.savings.id, amount: '12.345' }, 400, /Enter an amount/],
      [{ toAccountId: neds.savings.id, amount: '0' }, 400, /Enter an amount/],
      [{ toAccountId: neds.savings.id, amount: 'ten' }, 400, /Enter an amount/],
      [{ toAccountNumber: '12345', amount: '1' }, 400, /10 digits/],
      [{ toAccountNumber: '1234567897', amount: '1' }, 404, /Destination account not found/],
      [{ amount: '1' }, 400, /Choose one of your accounts/],
      [{ toAccountId: neds.checking.id, amount: '1' }, 400, /must differ/],
      [{ fromAccountId: oras.checking.id, toAccountId: neds.savings.id, amount: '1' }, 404, /Source account not found/]
    ]
    for (const [fields, status, message] of cases) {
      const response = await browser.post('/transfer', form(page, { memo: 'kept <memo>', ...fields }))
      t.equal(response.statusCode, status, JSON.stringify(fields))
      t.match(response.body, message)
      t.match(response.body, 'value="kept &lt;memo&gt;"', 'the form keeps what was typed')
    }
    t.same(await balances(), before)
    t.same(await ledgerViolations(app), [])
  })
})
