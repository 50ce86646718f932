import type { Contribution } from '../domain/contributions/contribution-service.js'
import { formatCents } from '../domain/money.js'
import { type SafeHtml, html } from './html.js'

const STATUS_TEXT = { pending: 'Pending', completed: 'Completed', failed: 'Failed' } as const

export function contributionStatus (contribution: Contribution): SafeHtml {
  return html`<span class="status-${contribution.status}">${STATUS_TEXT[contribution.status]}</span>${
    contribution.reason !== undefined ? html` <span class="muted">— ${contribution.reason}</span>` : ''}`
}

export function contributionRows (contributions: Contribution[], planLabels: Map<string, string>): SafeHtml {
  if (contributions.length === 0) return html`<p class="muted">No contributions yet.</p>`
  return html`<table class="contributions">
<thead><tr><th>Date</th><th>Plan</th><th>From account</th><th class="money">Amount</th><th>Status</th></tr></thead>
<tbody>${contributions.map((contribution) => html`
<tr data-contribution-id="${contribution.id}"><td>${contribution.createdAt.slice(0, 10)}</td><td>${planLabels.get(contribution.planId) ?? contribution.planId}</td>
<td>${contribution.fromAccountId}</td><td class="money">${formatCents(contribution.amountCents)}</td><td>${contributionStatus(contribution)}</td></tr>`)}
</tbody></table>`
}

export function projectionForm (action: string, query: { years: number, annualReturnPct: number, monthly: string }): SafeHtml {
  return html`<form class="inline" method="get" action="${action}">
<label>Years <input type="number" name="years" min="1" max="60" value="${query.years}" required></label>
<label>Yearly return (%) <input type="number" name="annualReturnPct" min="-20" max="30" step="0.1" value="${query.annualReturnPct}" required></label>
<label>Monthly contribution ($) <input type="text" name="monthly" inputmode="decimal" value="${query.monthly}"></label>
<button type="submit">Update projection</button>
</form>`
}
