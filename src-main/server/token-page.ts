/**
 * What a browser gets when it opens `serve` without the token (a bookmark of the bare address, a
 * restarted browser): a small HTML page that says where the link with the token is, instead of the
 * API's JSON 401. API clients (no `Accept: text/html`) keep the JSON answer.
 */
import type { IncomingMessage } from 'node:http'
import { HTTP_API_PREFIX } from '../../src-shared/contract'

/** A browser's page load: GET or HEAD, outside the API, asking for HTML. */
export function wantsTokenPage(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  if (url.pathname.startsWith(HTTP_API_PREFIX)) return false
  return /\btext\/html\b/.test(req.headers.accept ?? '')
}

export function tokenPage(hadToken: boolean): string {
  const why = hadToken ? 'The link you opened carries an old or wrong token.' : 'The address you opened has no token.'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>RNN Lab: open the link with its token</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 38rem; margin: 4rem auto; padding: 0 1.25rem; background: #fff; color: #1b1c20; }
  h1 { font-size: 1.4rem; }
  code { font: 0.95em ui-monospace, monospace; padding: 0 0.25em; border-radius: 4px; background: #eef0f3; color: #1b1c20; }
  @media (prefers-color-scheme: dark) {
    body { background: #1b1c20; color: #e6e7ea; }
    code { background: #2a2b31; color: #e6e7ea; }
  }
  li { margin: 0.4rem 0; }
</style>
</head>
<body>
<main>
<h1>RNN Lab needs the link with its token</h1>
<p>${why} The workbench only answers pages opened with the link that <code>rnn-lab serve</code> printed, which ends in <code>/?token=…</code>. You can find it:</p>
<ul>
<li>in the terminal that ran <code>rnn-lab serve</code>, on the line that starts with <code>Open http://127.0.0.1:…</code>;</li>
<li>or in the file <code>serve-token</code> inside the data folder (<code>&lt;data&gt;/serve-token</code>): add it to this address as <code>/?token=&lt;the token&gt;</code>.</li>
</ul>
<p>Once opened with the token, this browser remembers it until <code>serve</code> gets a new one (<code>rnn-lab serve --new-token</code>).</p>
</main>
</body>
</html>
`
}
