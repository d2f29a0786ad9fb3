/**
 * Hash routing: `#/datasets`, `#/datasets/<id>`, `#/runs`, `#/runs/new?dataset=<id>`, `#/runs/new?from=<runId>`, `#/runs/<id>`,
 * `#/compare?ids=a,b[&baseline=a]`, `#/compare?sweep=<id>`, `#/settings`. The hash keeps the page across
 * reloads and works from file://.
 */
export type Route =
  | { name: 'datasets' }
  | { name: 'dataset'; id: string }
  | { name: 'runs' }
  | { name: 'new-run'; datasetId: string | null; from: string | null }
  | { name: 'run'; id: string }
  | { name: 'compare'; ids: string[]; baseline: string | null; sweep: string | null }
  | { name: 'settings' }
  | { name: 'not-found'; path: string }

export type Section = 'datasets' | 'runs' | 'compare' | 'settings' | null

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/datasets'
  const [pathPart, queryPart = ''] = raw.split('?', 2)
  const query = new URLSearchParams(queryPart)
  const parts = pathPart
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        return p
      }
    })
  const [head, id, ...rest] = parts
  if (rest.length > 0) return { name: 'not-found', path: pathPart }
  switch (head) {
    case undefined:
    case 'datasets':
      return id ? { name: 'dataset', id } : { name: 'datasets' }
    case 'runs':
      if (id === 'new') return { name: 'new-run', datasetId: query.get('dataset'), from: query.get('from') || null }
      return id ? { name: 'run', id } : { name: 'runs' }
    case 'compare': {
      const ids = (query.get('ids') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      return id
        ? { name: 'not-found', path: pathPart }
        : { name: 'compare', ids: [...new Set(ids)], baseline: query.get('baseline') || null, sweep: query.get('sweep') || null }
    }
    case 'settings':
      return id ? { name: 'not-found', path: pathPart } : { name: 'settings' }
    default:
      return { name: 'not-found', path: pathPart }
  }
}

class Router {
  route = $state<Route>(parse(location.hash))

  section: Section = $derived.by(() => {
    switch (this.route.name) {
      case 'datasets':
      case 'dataset':
        return 'datasets'
      case 'runs':
      case 'new-run':
      case 'run':
        return 'runs'
      case 'compare':
        return 'compare'
      case 'settings':
        return 'settings'
      default:
        return null
    }
  })

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parse(location.hash)
    })
  }

  navigate(href: string): void {
    const target = href.startsWith('#') ? href : `#${href}`
    if (location.hash === target) this.route = parse(target)
    else location.hash = target
  }
}

export const router = new Router()

/** Links, built in one place so views agree on the URL shapes. */
export const links = {
  datasets: () => '#/datasets',
  dataset: (id: string) => `#/datasets/${encodeURIComponent(id)}`,
  runs: () => '#/runs',
  newRun: (datasetId?: string | null) => (datasetId ? `#/runs/new?dataset=${encodeURIComponent(datasetId)}` : '#/runs/new'),
  /** The new-run form filled with a run's dataset and config ("Clone and edit"). */
  cloneRun: (runId: string) => `#/runs/new?from=${encodeURIComponent(runId)}`,
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  compare: (ids: readonly string[] = [], opts: { baseline?: string | null; sweep?: string | null } = {}) => {
    const q: string[] = []
    if (opts.sweep) q.push(`sweep=${encodeURIComponent(opts.sweep)}`)
    else if (ids.length) q.push(`ids=${ids.map(encodeURIComponent).join(',')}`)
    if (opts.baseline) q.push(`baseline=${encodeURIComponent(opts.baseline)}`)
    return q.length ? `#/compare?${q.join('&')}` : '#/compare'
  },
  compareSweep: (sweepId: string) => `#/compare?sweep=${encodeURIComponent(sweepId)}`,
  settings: () => '#/settings'
}
