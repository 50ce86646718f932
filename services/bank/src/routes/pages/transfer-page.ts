import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { MAX_TRANSFER_CENTS } from '../../domain/ledger/money.js'
import { parseDollars } from '@nestegg/platform'
import { format } from '../../pages/format.js'
import { AccountId, IdempotencyKey, Memo } from '../../schemas.js'

const FormText = (maxLength: number) => Type.String({ maxLength })
/** The JSON API's account id, or empty (a select left unchosen). */
const FormAccountId = Type.Union([AccountId, Type.Literal('')])

interface TransferForm {
  fromAccountId: string
  toAccountId: string
  toAccountNumber: string
  amount: string
  memo: string
  idempotencyKey: string
}

/**
 * The transfer form. Each rendering carries a fresh idempotency key, so submitting the same form
 * twice (a double click, a reload after a lost answer) books one transfer.
 */
export const transferPage: FastifyPluginAsyncTypebox = async (app) => {
  async function render (request: FastifyRequest, reply: FastifyReply, values: TransferForm, error: string | null) {
    const accounts = await app.accounts.listForUser(request.user.id)
    return reply.page('transfer', { title: 'Move money', accounts, values, error, maxAmount: format.money(MAX_TRANSFER_CENTS) })
  }

  app.get('/transfer', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true }
  }, async (request, reply) => {
    const accounts = await app.accounts.listForUser(request.user.id)
    return render(request, reply, {
      fromAccountId: accounts.find((account) => account.type === 'checking')?.id ?? '',
      toAccountId: accounts.find((account) => account.type === 'savings')?.id ?? '',
      toAccountNumber: '',
      amount: '',
      memo: '',
      idempotencyKey: randomUUID()
    }, null)
  })

  app.post('/transfer', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({
        // The same ids and memo the JSON API takes (a select may send an empty id).
        fromAccountId: FormAccountId,
        toAccountId: FormAccountId,
        toAccountNumber: FormText(32),
        amount: FormText(32),
        memo: Memo,
        idempotencyKey: IdempotencyKey,
        _csrf: FormText(256)
      }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const { _csrf: _token, ...values } = request.body
    const number = values.toAccountNumber.replace(/[\s-]/g, '')
    const amountCents = parseDollars(values.amount)
    let problem: string | null = null
    if (amountCents === undefined || amountCents <= 0) problem = 'Enter an amount in dollars, such as 25 or 25.50.'
    else if (number === '' && values.toAccountId === '') problem = 'Choose one of your accounts or enter an account number.'
    else if (number !== '' && !/^[0-9]{10}$/.test(number)) problem = 'An account number has 10 digits.'
    if (problem !== null) {
      reply.code(400)
      return render(request, reply, values, problem)
    }
    try {
      await app.transfers.transfer({
        userId: request.user.id,
        fromAccountId: values.fromAccountId,
        ...(number !== '' ? { toAccountNumber: number } : { toAccountId: values.toAccountId }),
        amountCents: amountCents as number,
        memo: values.memo,
        idempotencyKey: values.idempotencyKey
      })
      return reply.redirect('/?done=transfer', 303)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500) throw error
      reply.code(status)
      if ((error as { code?: string }).code === 'BANK_IDEMPOTENCY_KEY_REUSED') {
        // This form was already booked with other values (edited after a lost answer): a new form, a new key.
        return render(request, reply, { ...values, idempotencyKey: randomUUID() },
          'This form was already sent with other values. Check your accounts before sending it again.')
      }
      return render(request, reply, values, (error as Error).message + '.')
    }
  })
}
