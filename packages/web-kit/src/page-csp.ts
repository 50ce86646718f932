/**
 * What the pages of both services use: their own stylesheet and favicon, forms posting to themselves
 * (and `formActions`), no script at all. Stricter than the platform's default policy, which /docs
 * and the API keep. A page that needs a script (the bank's passkey ceremonies) gets `scripts`: then
 * scripts and fetches of its own origin only, still no inline script.
 */
export function pageCsp (formActions: string[] = [], scripts = false): string {
  return [
    "default-src 'none'",
    "base-uri 'none'",
    // Browsers apply form-action to a form's redirects too (the bank's login goes on to return_to).
    ["form-action 'self'", ...formActions.map((url) => new URL(url).origin)].join(' '),
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "style-src 'self'",
    ...(scripts ? ["script-src 'self'", "connect-src 'self'"] : ["script-src 'none'"])
  ].join('; ')
}
