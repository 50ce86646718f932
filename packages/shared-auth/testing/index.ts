/**
 * Test helpers for other packages: mint tokens the way the bank would (or deliberately wrongly),
 * carry them as a cookie, and the corpus of attacks. Only tests import this entry: it lives outside
 * src/, so no build compiles it into dist/ and no image ships it.
 */
export * from './mint.js'
export { attackCases, controlToken, type AttackCase, type AttackContext } from './attack-corpus.js'
export { openTrap, type Trap } from './trap.js'
