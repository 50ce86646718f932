import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { redirectedToStepUp } from '@nestegg/shared-auth'
import { formatMoney, lastDigits, parseDollars } from '@nestegg/web-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { AccountView } from '../../domain/accounts/account-service.js'
import { isValidAccountNumber } from '../../domain/accounts/account-number.js'
import { MAX_TRANSFER_CENTS } from '../../domain/ledger/money.js'
import { TransferNotFoundError } from '../../errors.js'
import { AccountId, IdempotencyKey, Memo, TransferId } from '../../schemas.js'
import { transferProblemText } from './transfer-messages.js'

const FormText = (maxLength: number) => Type.String({ maxLength })
/** The JSON API's account id, or empty (a select left unchosen). */
const FormAccountId = Type.Union([AccountId, Type.Literal('')])

export interface TransferForm {
  fromAccountId: string
  toAccountId: string
  toAccountNumber: string
  amount: string
  memo: string
  idempotencyKey: string
}

const accountLabel = (account: AccountView) => `${account.name} ${lastDigits(account.number)}`

/**
 * The transfer form. Paying another customer goes through a review page (who, how much, from where)
 * before anything is booked; every booked transfer ends on its confirmation page. Each rendering of
 * the form carries a fresh idempotency key, so the same form sent twice books one transfer.
 */
export const transferPage: FastifyPluginAsyncTypebox = async (app) => {
  async function renderForm (request: FastifyRequest, reply: FastifyReply, values: TransferForm, error: string | null) {
    const accounts = await app.accounts.listForUser(request.user.id)
    return reply.page('transfer', { title: 'Move money', accounts, values, error, maxAmount: formatMoney(MAX_TRANSFER_CENTS) })
  }

  // Back from the step-up page: the form as it was typed rides in the query (see below).
  const Draft = Type.Object({
    fromAccountId: Type.Optional(FormAccountId),
    toAccountId: Type.Optional(FormAccountId),
    toAccountNumber: Type.Optional(FormText(32)),
    amount: Type.Optional(FormText(32)),
    memo: Type.Optional(Memo),
    idempotencyKey: Type.Optional(IdempotencyKey)
  }, { additionalProperties: false })

  app.get('/transfer', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: Draft }
  }, async (request, reply) => {
    const accounts = await app.accounts.listForUser(request.user.id)
    const draft = request.query
    return renderForm(request, reply, {
      fromAccountId: draft.fromAccountId ?? accounts.find((account) => account.type === 'checking')?.id ?? '',
      toAccountId: draft.toAccountId ?? '',
      toAccountNumber: draft.toAccountNumber ?? '',
      amount: draft.amount ?? '',
      memo: draft.memo ?? '',
      idempotencyKey: draft.idempotencyKey ?? randomUUID()
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
        // Absent from the form itself; the review page sends "confirm" or "edit".
        step: Type.Optional(Type.Union([Type.Literal('confirm'), Type.Literal('edit')])),
        _csrf: FormText(256)
      }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const { _csrf: _token, step, ...values } = request.body
    if (step === 'edit') return renderForm(request, reply, values, null)
    const number = values.toAccountNumber.replace(/[\s-]/g, '')
    const amountCents = parseDollars(values.amount)
    let problem: string | null = null
    if (amountCents === undefined || amountCents <= 0) problem = 'Enter an amount in dollars, such as 25 or 25.50.'
    else if (amountCents > MAX_TRANSFER_CENTS) problem = `You can send up to ${formatMoney(MAX_TRANSFER_CENTS)} in one transfer.`
    else if (number !== '' && values.toAccountId !== '') {
      problem = 'You chose one of your accounts and also typed an account number. Choose only one: ' +
        'set “One of your accounts” to “None” to pay another customer, or clear the account number.'
    } else if (number === '' && values.toAccountId === '') problem = 'Choose one of your accounts or type another customer’s account number.'
    else if (number !== '' && !isValidAccountNumber(number)) problem = 'That account number is not valid. An account number has 10 digits; check it and try again.'
    if (problem !== null) {
      reply.code(400)
      return renderForm(request, reply, values, problem)
    }

    // A stale sign-in: off to the step-up page, and back to this form with what was typed in
    // return_to's query. Nothing there is secret or held on the server; the same idempotency key
    // comes back, so sending the form again can still book it only once.
    const steppedUp = await redirectedToStepUp(reply, () => app.checkTransferStepUp(request, {
      userId: request.user.id,
      ...(number !== '' ? { toAccountNumber: number } : { toAccountId: values.toAccountId }),
      amountCents: amountCents as number
    }), { bankUrl: '', siteUrl: '', path: '/transfer', draft: { ...values } })
    if (steppedUp) return reply

    const accounts = await app.accounts.listForUser(request.user.id)
    const from = accounts.find((account) => account.id === values.fromAccountId)
    if (number !== '' && step !== 'confirm') {
      // Paying someone else: show who, how much and from where, and book nothing yet.
      const recipient = await app.accounts.recipient(number)
      if (recipient === undefined || from === undefined) {
        reply.code(404)
        return renderForm(request, reply, values, from === undefined
          ? 'Choose the account to send from.'
          : 'No customer account has that number. Check it with the person you are paying.')
      }
      return reply.page('transfer-review', {
        title: 'Check your payment',
        values: { ...values, toAccountNumber: number },
        amount: formatMoney(amountCents as number),
        recipient: { name: recipient.name, digits: lastDigits(recipient.number) },
        from: accountLabel(from)
      })
    }

    try {
      // A second click waits for the first, then lands on the same receipt (platform idempotency.ts).
      const transfer = await app.idempotency.waitWhileInFlight(request.user.id, values.idempotencyKey, () => app.transfers.transfer({
        userId: request.user.id,
        fromAccountId: values.fromAccountId,
        ...(number !== '' ? { toAccountNumber: number } : { toAccountId: values.toAccountId }),
        amountCents: amountCents as number,
        memo: values.memo,
        idempotencyKey: values.idempotencyKey
      }))
      return reply.redirect(`/transfers/${transfer.id}`, 303)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500) throw error
      reply.code(status)
      const code = (error as { code?: string }).code ?? ''
      // Edited after a lost answer: a new form gets a new key.
      const next = code === 'BANK_IDEMPOTENCY_KEY_REUSED' ? { ...values, idempotencyKey: randomUUID() } : values
      return renderForm(request, reply, next, transferProblemText(code, (error as Error).message, from))
    }
  })

  app.get('/transfers/:id', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, params: Type.Object({ id: TransferId }, { additionalProperties: false }) }
  }, async (request, reply) => {
    const receipt = await app.accounts.receipt(request.user.id, request.params.id)
    if (receipt === undefined) throw new TransferNotFoundError()
    return reply.page('transfer-receipt', { title: 'Transfer sent', receipt })
  })
}
