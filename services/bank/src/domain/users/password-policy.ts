import commonPasswordList from './common-passwords.json' with { type: 'json' }

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

/** How a password is compared with the list: the list is NFKC and lower-cased the same way. */
export function normalizePassword (password: string): string {
  return password.normalize('NFKC').toLowerCase()
}

/** Derived from zxcvbn-ts's breach list; see the file's `source` and scripts/derive-common-passwords.mjs. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(commonPasswordList.passwords.map(normalizePassword))

/** One short unit repeated: "aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword". */
const REPEATED_UNIT = /^(.{1,8})\1+$/su

/**
 * NIST SP 800-63B §5.1.1.2 and OWASP ASVS 2.1: length only, no composition rules, and refused when
 * the password is a known common one or a short unit repeated. Counts code points, so an emoji is
 * one character. Returns the problem, or null.
 */
export function passwordProblem (password: string): string | null {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`
  const normal = normalizePassword(password)
  if (COMMON_PASSWORDS.has(normal)) return 'This password is one of the most common passwords; choose another'
  if (REPEATED_UNIT.test(normal)) return 'Password must not be a short sequence repeated; choose another'
  return null
}
