import t from 'tap'
import { type ClearingTransfer, type ContributionRecord, reconcile } from '../../src/reconcile/reconcile.js'

const transfer = (contributionId: string, amountCents: number, extra: Partial<ClearingTransfer> = {}): ClearingTransfer =>
  ({ transferId: `t-${contributionId}`, contributionId, userId: 'u1', amountCents, ...extra })
const contribution = (id: string, amountCents: number, extra: Partial<ContributionRecord> = {}): ContributionRecord =>
  ({ id, userId: 'u1', status: 'completed', amountCents, bankTransferId: `t-${id}`, ...extra })

t.test('one to one with equal amounts: no mismatch; failed contributions have no transfer', async (t) => {
  t.same(reconcile([transfer('c1', 100), transfer('c2', 250)], [contribution('c1', 100), contribution('c2', 250), contribution('c3', 9, { status: 'failed', bankTransferId: null })]), [])
  t.same(reconcile([], []), [])
})

t.test('each kind of mismatch is named', async (t) => {
  const mismatches = reconcile(
    [transfer('c1', 100), transfer('c2', 200), transfer('c4', 400), transfer('c5', 500, { userId: 'u2' }), transfer('c1', 100, { transferId: 't-dup' })],
    [contribution('c1', 100), contribution('c2', 201), contribution('c3', 300), contribution('c4', 400, { status: 'pending', bankTransferId: null }), contribution('c5', 500)]
  )
  t.same(mismatches, [
    'bank transfer t-c2 ($2.00): contribution c2 credited $2.01',
    'bank transfer t-c4 ($4.00): the bank debited contribution c4, which is pending in retirement',
    'bank transfer t-c5 ($5.00): contribution c5 belongs to user u1, the transfer to u2',
    'bank transfer t-dup ($1.00) is a second clearing transfer for contribution c1',
    'contribution c3 ($3.00) is completed in retirement but the bank has no clearing transfer for it'
  ])
  t.same(reconcile([transfer('zz', 5)], []), ['bank transfer t-zz ($0.05) into retirement clearing has no contribution zz in retirement'])
})
