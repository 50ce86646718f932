import { randomInt } from 'node:crypto'

/** Ten digits, the last a Luhn check digit, so that a mistyped number is caught before any lookup. */
export const ACCOUNT_NUMBER_PATTERN = '^[0-9]{10}$'

function luhnDigit (digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return (10 - (sum % 10)) % 10
}

export function isValidAccountNumber (number: string): boolean {
  return /^[0-9]{10}$/.test(number) && luhnDigit(number.slice(0, 9)) === Number(number[9])
}

/** Customer numbers start with 1 to 8; 9 is kept for the bank's own accounts. */
export function generateAccountNumber (): string {
  const body = `${randomInt(1, 9)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`
  return `${body}${luhnDigit(body)}`
}

/** 1234567890 → 1234 5678 90, for people. */
export function formatAccountNumber (number: string): string {
  return number.replace(/^(\d{4})(\d{4})(\d{2})$/, '$1 $2 $3')
}
