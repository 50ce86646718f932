/**
 * C0 control characters and DEL: never part of a name, a memo or an id. PostgreSQL cannot even hold
 * a NUL, so the schemas refuse them, and so do the services where a value can arrive another way.
 */
export const CONTROL_CHARACTERS = '\\u0000-\\u001f\\u007f'
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL_CHARACTERS}]`)
