import t from 'tap'
import { accountsOf, buildTestApp, ledgerViolations, loginAs } from '../../helper.js'
import { pageClient, signedInPages } from '../../page-client.js'

t.test('the transfer form', async (t) => {
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '200000' })
  const ned = await loginAs(app, 'ned')
  const ora = await loginAs(app, 'ora')
  const neds = await accountsOf(app, ned)
  const oras = await accountsOf(app, ora)
  const browser = await signedInPages(app, 'ned')
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

  t.test('a transfer between own accounts; submitting the same form twice books once; a confirmation says what happened', async (t) => {
    const page = await browser.get('/transfer')
    t.equal(page.statusCode, 200)
    t.match(page.body, /<label for="amount">/)
    t.match(page.body, /<option value="" selected>None: pay another customer/, 'no own account chosen until the person chooses')
    const fields = form(page, { toAccountId: neds.savings.id, amount: '12.34', memo: 'rent' })
    const first = await browser.post('/transfer', fields)
    t.equal(first.statusCode, 303)
    t.match(first.headers.location, /^\/transfers\/[0-9a-f]{26}$/)
    const again = await browser.post('/transfer', fields)
    t.equal(again.headers.location, first.headers.location, 'the same form twice is the same transfer')
    t.same(await balances(), [200000 - 1234, 1234, 200000])
    const receipt = await browser.get(first.headers.location as string)
    t.equal(receipt.statusCode, 200)
    t.match(receipt.body, `You sent $12.34 to Savings ··${neds.savings.number.slice(-4)}.`)
    t.match(receipt.body, `<dt>From</dt><dd>Checking ··${neds.checking.number.slice(-4)}</dd>`)
    t.match(receipt.body, '<dt>Memo</dt><dd>rent</dd>')
    t.match(receipt.body, `<code>${(first.headers.location as string).slice('/transfers/'.length)}</code>`, 'a reference')
    t.match(receipt.body, '<span id="new-balance">$1,987.66</span>', 'the new balance')
  })

  t.test('paying another customer: a review page first, nothing booked until Confirm; Edit goes back', async (t) => {
    const page = await browser.get('/transfer')
    const spaced = oras.checking.number.replace(/^(\d{4})(\d{4})(\d{2})$/, '$1 $2 $3')
    const fields = form(page, { toAccountNumber: spaced, amount: '$1,000', memo: 'for the bike' })
    const review = await browser.post('/transfer', fields)
    t.equal(review.statusCode, 200)
    t.match(review.body, `Pay <strong>$1,000.00</strong> to <strong>ora Tester</strong>, account ··${oras.checking.number.slice(-4)}, from Checking ··${neds.checking.number.slice(-4)}.`)
    t.same(await balances(), [200000 - 1234, 1234, 200000], 'the review books nothing')
    const edit = await browser.post('/transfer', { ...fields, toAccountNumber: oras.checking.number, step: 'edit' })
    t.match(edit.body, 'value="for the bike"', 'Edit brings the form back with the values')
    t.equal(browser.hidden(edit, 'idempotencyKey'), fields.idempotencyKey)
    const confirmed = await browser.post('/transfer', { ...fields, toAccountNumber: oras.checking.number, step: 'confirm' })
    t.equal(confirmed.statusCode, 303)
    t.same(await balances(), [200000 - 1234 - 100000, 1234, 300000])
    const receipt = await browser.get(confirmed.headers.location as string)
    t.match(receipt.body, `You sent $1,000.00 to ora Tester ··${oras.checking.number.slice(-4)}.`)
    t.match(receipt.body, '<dt>Memo</dt><dd>for the bike</dd>')
    t.match(receipt.body, '<span id="new-balance">$987.66</span>')
    const foreign = await pageClient(app).get(confirmed.headers.location as string)
    t.equal(foreign.statusCode, 302, 'nobody else sees it (here: not logged in)')
  })

  t.test('one of your accounts selected and a number typed is refused, with what to do', async (t) => {
    const before = await balances()
    const page = await browser.get('/transfer')
    const both = await browser.post('/transfer', form(page, { toAccountId: neds.savings.id, toAccountNumber: oras.checking.number, amount: '5' }))
    t.equal(both.statusCode, 400)
    t.match(both.body, 'You chose one of your accounts and also typed an account number. Choose only one')
    t.same(await balances(), before)
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
      [{ toAccountId: neds.savings.id, amount: '1000000' }, 409, /Insufficient funds: Checking ··\d{4} has \$987\.66\. Enter a smaller amount/],
      [{ toAccountId: neds.savings.id, amount: '1000001' }, 400, /You can send up to \$1,000,000\.00 in one transfer\./],
      [{ toAccountId: neds.savings.id, amount: '12.345' }, 400, /Enter an amount/],
      [{ toAccountId: neds.savings.id, amount: '0' }, 400, /Enter an amount/],
      [{ toAccountId: neds.savings.id, amount: 'ten' }, 400, /Enter an amount/],
      [{ toAccountNumber: '12345', amount: '1' }, 400, /An account number has 10 digits/],
      [{ toAccountNumber: '1234567890', amount: '1' }, 400, /That account number is not valid/],
      [{ toAccountNumber: '1234567897', amount: '1' }, 404, /No customer account has that number/],
      [{ amount: '1' }, 400, /Choose one of your accounts/],
      [{ toAccountId: neds.checking.id, amount: '1' }, 400, /must be different/],
      [{ fromAccountId: oras.checking.id, toAccountId: neds.savings.id, amount: '1' }, 404, /That account was not found/]
    ]
    for (const [fields, status, message] of cases) {
      const response = await browser.post('/transfer', form(page, { memo: 'kept <memo>', ...fields }))
      t.equal(response.statusCode, status, JSON.stringify(fields))
      t.match(response.body, message)
      t.match(response.body, 'value="kept &lt;memo&gt;"', 'the form keeps what was typed')
      t.notMatch(response.body, /amountCents|toAccountId must|fromAccountId must|body\//, 'never a field name or a schema path')
    }
    t.same(await balances(), before)
    t.same(await ledgerViolations(app), [])
  })
})
