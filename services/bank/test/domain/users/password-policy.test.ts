import t from 'tap'
import commonPasswordList from '../../../src/domain/users/common-passwords.json' with { type: 'json' }
import { COMMON_PASSWORDS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../../src/domain/users/password-policy.js'

t.test('length: at least 12 characters, counted in code points, up to 128 (at least 64)', async (t) => {
  t.ok(PASSWORD_MAX_LENGTH >= 64)
  t.match(passwordProblem('elevenchars'), /at least 12/)
  t.equal(passwordProblem('twelve chars'), null)
  t.equal(passwordProblem('🐢🐢🐢🐢🐢🐢 slow but sure'), null)
  t.match(passwordProblem('🐢'.repeat(11)), /at least 12/, 'emoji count as one character each')
  t.equal(passwordProblem(`${'a long passphrase '.repeat(7)}`.slice(0, 64)), null, '64 characters')
  t.equal(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH - 1) + 'y'), null, `${PASSWORD_MAX_LENGTH} characters`)
  t.match(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH) + 'y'), /at most 128/)
})

t.test('no composition rules: all lower-case, all digits, spaces and unicode are fine', async (t) => {
  for (const password of ['all lower case words', '839201746529381', 'пароль достаточно длинный', 'NO LOWER CASE AT ALL']) {
    t.equal(passwordProblem(password), null, password)
  }
})

t.test('a password from the shipped common-password list is refused, whatever its case', async (t) => {
  t.ok(COMMON_PASSWORDS.size > 200, `the list holds ${COMMON_PASSWORDS.size} passwords`)
  t.match(commonPasswordList.source, /^@zxcvbn-ts\/language-common@/, 'the list names its source')
  for (const password of commonPasswordList.passwords) {
    t.ok([...password].length >= PASSWORD_MIN_LENGTH, `${password} is long enough to need the list`)
  }
  const [first, second] = commonPasswordList.passwords as [string, string]
  t.match(passwordProblem(first), /most common passwords/)
  t.match(passwordProblem(second.toUpperCase()), /most common passwords/)
  t.match(passwordProblem('qwertyuiop123'), /most common passwords/)
})

t.test('one short unit repeated is refused', async (t) => {
  for (const password of ['aaaaaaaaaaaa', 'abcabcabcabc', '121212121212', 'nesteggnestegg']) {
    t.match(passwordProblem(password), /repeated/, password)
  }
  t.equal(passwordProblem('abcabcabcabd'), null)
})
