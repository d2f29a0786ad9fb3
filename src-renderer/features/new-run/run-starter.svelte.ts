/**
 * "Start training", shared by the forecast and the text run forms: on an invalid form it says so and
 * moves the focus to the first invalid field; otherwise it starts the run (`runs.start`) with the
 * dataset, the optional name and the parsed config.
 */
import { tick } from 'svelte'
import type { RunSummary } from '../../../src-shared/domain'
import type { RunConfig } from '../../../src-shared/run-config'
import { client } from '../../api/client'
import { showError, type ShownError } from '../../lib/errors'

export interface StartRequest {
  form: HTMLFormElement | undefined
  datasetId: string
  name: string
  /** The parsed config; null while the form has errors. */
  config: RunConfig | null
  /** On an invalid form, before the focus moves (to open the section that holds a bad field). */
  beforeFocus?: () => void
  onstarted: (run: RunSummary) => void
}

export class RunStarter {
  /** Start was pressed at least once (the form then lists what is left to fix). */
  attempted = $state(false)
  busy = $state(false)
  error = $state<ShownError | null>(null)

  async start(request: StartRequest): Promise<void> {
    this.attempted = true
    this.error = null
    if (!request.config) {
      this.error = { title: 'Check the form', message: 'Fix the highlighted fields, then start training again.', issues: [] }
      request.beforeFocus?.()
      await tick()
      request.form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    this.busy = true
    try {
      const name = request.name.trim()
      const run = await client.invoke('runs.start', { datasetId: request.datasetId, ...(name ? { name } : {}), config: request.config })
      request.onstarted(run)
    } catch (e) {
      this.error = showError(e)
    } finally {
      this.busy = false
    }
  }
}
