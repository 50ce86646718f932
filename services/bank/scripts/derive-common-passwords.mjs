// Derives services/bank/src/domain/users/common-passwords.json from the password list that zxcvbn-ts ships
// (@zxcvbn-ts/language-common, MIT: the most common passwords of public breaches, by frequency).
// Only entries the length rule would let through are kept (it refuses anything shorter first).
//
//   dir=$(mktemp -d) && npm install --prefix "$dir" --no-save --ignore-scripts @zxcvbn-ts/language-common@4.1.3
//   node services/bank/scripts/derive-common-passwords.mjs "$dir/node_modules/@zxcvbn-ts/language-common" \
//     > services/bank/src/domain/users/common-passwords.json
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const MIN_LENGTH = 12
const packageDir = process.argv[2]
if (!packageDir) {
  console.error('usage: derive-common-passwords.mjs <path to @zxcvbn-ts/language-common>')
  process.exit(1)
}
const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
const { dictionary } = await import(pathToFileURL(join(packageDir, 'dist', 'index.mjs')).href)
const seen = new Set()
const passwords = []
for (const password of dictionary['passwords-common']) {
  const normal = password.normalize('NFKC').toLowerCase()
  if ([...normal].length < MIN_LENGTH || seen.has(normal)) continue
  seen.add(normal)
  passwords.push(normal)
}
const list = {
  source: `${name}@${version}, dictionary['passwords-common'] (MIT; the passwords of public breaches, most common first)`,
  derivedBy: 'services/bank/scripts/derive-common-passwords.mjs',
  note: `Entries of ${MIN_LENGTH} or more characters only (shorter ones fail the length rule first), NFKC, lower-cased.`,
  passwords
}
// One password per line, so that a change to the list reads as a diff of lines.
process.stdout.write(`${JSON.stringify(list, null, 1).replace(/\n\s+"/g, '\n  "')}\n`)
