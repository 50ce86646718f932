/**
 * The escaping template for every page: `html` is a tagged template in which every interpolated
 * value is HTML-escaped unless it is itself the result of `html` (or `raw`, kept for markup built
 * here, like the chart). Typed, compiled into dist/ with the code, and with no way to forget to
 * escape: a plain string can never reach the page unescaped.
 */
export class SafeHtml {
  constructor (readonly value: string) {}
  toString (): string {
    return this.value
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' }

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"'`]/g, (character) => ESCAPES[character] ?? character)
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[]

function render (value: Interpolation): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

export function html (strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let index = 0; index < values.length; index++) {
    out += render(values[index]) + (strings[index + 1] ?? '')
  }
  return new SafeHtml(out)
}

/** Markup that was built safely elsewhere in this module tree (never user input). */
export function raw (markup: string): SafeHtml {
  return new SafeHtml(markup)
}
