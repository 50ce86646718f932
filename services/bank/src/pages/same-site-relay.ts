/** The text of an attribute or element: the five characters HTML gives meaning to, escaped. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)

/**
 * A page that sends the browser on to `sameSiteUrl` (a path on this origin) by itself, without
 * script. A cross-site navigation never carries the SameSite=Strict refresh cookie; the browser
 * makes the meta refresh's request from this page, so it is same-origin and carries it.
 */
export function sameSiteRelayPage (sameSiteUrl: string): string {
  const url = escapeHtml(sameSiteUrl)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0;url=${url}">
<title>Nestegg Bank</title>
<link rel="stylesheet" href="/assets/nestegg.css">
</head>
<body>
<main><p>Taking you to Nestegg Bank… <a href="${url}">Continue</a></p></main>
</body>
</html>
`
}
