import { lastDigits } from '@nestegg/web-kit'
import type { HistoryItem } from '../domain/accounts/account-history.js'

/** What the internal contribution route writes when retirement does not name the plan. */
const UNNAMED_CONTRIBUTION_MEMO = 'Retirement contribution'

/** How the bank's pages describe a line of history; money and dates come from the web kit's format. */
export const history = {
  describe (item: HistoryItem): string {
    if (item.kind === 'welcome') return 'Welcome deposit'
    if (item.kind === 'contribution') return 'Contribution to your retirement plan'
    const other = `${item.counterparty.name} ${lastDigits(item.counterparty.accountNumber)}`
    return item.amountCents < 0 ? `To ${other}` : `From ${other}`
  },
  /** The memo under the description, unless it only repeats it. */
  memo (item: HistoryItem): string | null {
    if (item.memo === null || (item.kind === 'contribution' && item.memo === UNNAMED_CONTRIBUTION_MEMO)) return null
    return item.memo
  }
}
