/**
 * C0 control characters and DEL: never part of a name, a memo or an id. PostgreSQL cannot even hold
 * a NUL, so the schemas refuse them, and so do the services where a value can arrive another way.
 */
export const CONTROL_CHARACTERS = '\\u0000-\\u001f\\u007f'
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL_CHARACTERS}]`)

/**
 * Bidirectional controls: marks (U+061C, U+200E, U+200F), embeddings and overrides (U+202A–U+202E)
 * and isolates (U+2066–U+2069). Invisible, they reorder what follows them, so a name or memo with one
 * can display as something else in another customer's history ("Trojan Source", CVE-2021-42574).
 */
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/
