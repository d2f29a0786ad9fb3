/** What the browser specs share: a contract call to `serve` with its token, and axe's serious findings. */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type { ServeHandle } from './serve-process'

/** `POST /api/<op>` through the page's request context with serve's token; the result, or throws naming the error. */
export async function api<T>(page: Page, serve: ServeHandle, op: string, data: unknown): Promise<T> {
  const res = await page.request.post(`${serve.origin}/api/${op}`, { headers: { authorization: `Bearer ${serve.token}` }, data })
  const body = (await res.json()) as { ok: boolean; result: T; error?: unknown }
  if (!body.ok) throw new Error(`${op} failed: ${JSON.stringify(body.error)}`)
  return body.result
}

/** axe's serious and critical WCAG 2.1 A/AA findings on the page as it is, each as "id [impact] help — first targets". */
export async function seriousAxeFindings(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`
    )
}
