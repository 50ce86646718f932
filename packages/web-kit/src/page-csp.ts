/**
 * What the pages of both services use: their own stylesheet and favicon, forms posting to themselves
 * (and `formActions`), no script at all. Stricter than the platform's default policy, which /docs
 * and the API keep.
 */
export function pageCsp (formActions: string[] = []): string {
  return [
    "default-src 'none'",
    "base-uri 'none'",
    // Browsers apply form-action to a form's redirects too (the bank's login goes on to return_to).
    ["form-action 'self'", ...formActions.map((url) => new URL(url).origin)].join(' '),
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'none'"
  ].join('; ')
}
