import { Menu, app, dialog, shell, type BrowserWindow } from 'electron'
import type { Client } from '../../src-shared/client'
import type { EventPayload } from '../../src-shared/contract'
import { APP_VERSION } from '../services/version'
import { viewMenu } from './dev-tools-policy'

/** File → Import… / Export Run… / Open Data Folder; Edit; View; Help → About (versions, backend). */
/** What the menu asks of the open page: import a granted file, or a command (the core's UI events). */
export interface UiRequests {
  importFile(file: EventPayload<'ui.importFile'>): void
  command(command: EventPayload<'ui.command'>['command']): void
}

/** The application menu; it reaches the core through the contract's client, the page through `ui`. */
export function installMenu(
  client: Client,
  ui: UiRequests,
  dataDir: string,
  window: () => BrowserWindow | undefined,
  devTools: boolean
): void {
  const isMac = process.platform === 'darwin'
  const importFile = async () => {
    const { grant, name } = await client.invoke('shell.chooseFile', { kind: 'any' })
    if (grant && name) ui.importFile({ grant, name })
  }
  const about = async () => {
    const backends = await client.invoke('system.backends').catch(() => [])
    const backend = backends[0]
      ? `${backends[0].selected} (${backends[0].attempts.find((a) => a.status === 'used')?.reason ?? ''})`
      : 'not started'
    const message = `RNN Lab ${APP_VERSION}`
    const detail = [
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
      `Training backend: ${backend}`,
      `Data folder: ${dataDir}`
    ].join('\n')
    const w = window()
    if (w) await dialog.showMessageBox(w, { type: 'info', message, detail })
    else await dialog.showMessageBox({ type: 'info', message, detail })
  }
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => void importFile() },
        { label: 'New Run…', accelerator: 'CmdOrCtrl+N', click: () => ui.command('newRun') },
        { label: 'Export Run…', accelerator: 'CmdOrCtrl+E', click: () => ui.command('exportRun') },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => ui.command('openSettings') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    viewMenu(devTools),
    { label: 'Help', submenu: [{ label: 'About RNN Lab', click: () => void about() }] }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  app.setAboutPanelOptions({ applicationName: 'RNN Lab', applicationVersion: APP_VERSION })
}
