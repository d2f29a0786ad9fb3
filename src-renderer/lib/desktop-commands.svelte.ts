/**
 * Commands from the desktop menu (File → Import…, New Run, Export Run…, Settings), delivered as
 * contract events. In the browser (`serve`) they never arrive.
 */
import { client } from '../api/client'
import { links, router } from './router.svelte'

class DesktopCommands {
  /** A file chosen with File → Import…, waiting for the import panel to preview it. */
  pendingImport = $state<{ grant: string; name: string } | null>(null)
  /** The outcome of the last Export Run…, shown by the run page. */
  lastExport = $state<{ runId: string; dir?: string; error?: string } | null>(null)

  takeImport(): { grant: string; name: string } | null {
    const p = this.pendingImport
    this.pendingImport = null
    return p
  }

  async exportRun(runId: string): Promise<void> {
    try {
      const { grant } = await client.invoke('shell.chooseFolder', { title: 'Export the run bundle into…' })
      if (!grant) return
      const r = await client.invoke('runs.export', { id: runId, folder: grant, subfolder: true })
      this.lastExport = { runId, dir: r.dir }
      await client.invoke('shell.reveal', { grant: r.grant }).catch(() => {})
    } catch (err) {
      this.lastExport = { runId, error: err instanceof Error ? err.message : String(err) }
    }
  }
}

export const desktop = new DesktopCommands()

client.on('ui.importFile', (chosen) => {
  desktop.pendingImport = chosen
  router.navigate(links.datasets())
})

client.on('ui.command', ({ command }) => {
  if (command === 'newRun') router.navigate(links.newRun())
  else if (command === 'openSettings') router.navigate(links.settings())
  else if (command === 'exportRun' && router.route.name === 'run') void desktop.exportRun(router.route.id)
})
