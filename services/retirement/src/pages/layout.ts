import { type SafeHtml, html } from './html.js'

export interface LayoutContext {
  title: string
  /** The signed-in user's name from the token; absent on error pages for anonymous visitors. */
  userName?: string | undefined
  bankUrl: string
  body: SafeHtml
}

export function layout (context: LayoutContext): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${context.title} · Nestegg Retirement</title>
<link rel="stylesheet" href="/assets/retirement.css">
</head>
<body>
<header class="site">
<a class="brand" href="/">Nestegg Retirement</a>
<nav>
<a href="/">Plans</a>
<a href="/plans/new">Open a plan</a>
<a href="/contribute">Contribute</a>
<a href="${context.bankUrl}/">Back to the bank</a>
</nav>
${context.userName !== undefined ? html`<span class="who">Signed in as <strong>${context.userName}</strong></span>` : ''}
</header>
<main>
${context.body}
</main>
</body>
</html>
`
}
