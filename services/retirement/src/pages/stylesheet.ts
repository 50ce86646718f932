/** Served at /assets/retirement.css: the strict CSP allows stylesheets from 'self' only, never inline. */
export const STYLESHEET = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
body { margin: 0; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 1.5rem; padding: 0.8rem 1.5rem; background: #1d5a40; color: #fff; }
header.site a { color: #fff; text-decoration: none; }
header.site nav { display: flex; gap: 1rem; flex: 1; }
header.site .brand { font-weight: 700; font-size: 1.15rem; }
header.site .who { opacity: 0.9; }
main { max-width: 960px; margin: 1.5rem auto; padding: 0 1.5rem; }
section, .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid #eaeef2; }
td.money, th.money { text-align: right; font-variant-numeric: tabular-nums; }
.status-completed { color: #1a7f37; }
.status-pending { color: #9a6700; }
.status-failed { color: #cf222e; }
.notice { padding: 0.75rem 1rem; border-radius: 6px; margin-bottom: 1rem; background: #ddf4ff; border: 1px solid #54aeff; }
.error { background: #ffebe9; border-color: #ff8182; }
form.stacked label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
form.stacked input, form.stacked select { font-size: 1rem; padding: 0.4rem; min-width: 16rem; }
form.inline { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
form.inline label { display: flex; flex-direction: column; font-size: 0.9rem; }
form.inline input { width: 9rem; padding: 0.3rem; }
button { margin-top: 1rem; font-size: 1rem; padding: 0.5rem 1.1rem; border: 0; border-radius: 6px; background: #1f883d; color: #fff; cursor: pointer; }
.choices label { display: block; font-weight: normal; margin: 0.4rem 0; }
.muted { color: #656d76; }
figure.chart { margin: 0; }
figure.chart svg { width: 100%; height: auto; }
figure.chart figcaption { color: #656d76; font-size: 0.9rem; margin-top: 0.25rem; }
.balance { font-size: 1.8rem; font-weight: 700; }
`
