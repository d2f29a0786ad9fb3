import { Menu, app, dialog, shell, type BrowserWindow } from 'electron'
import type { AppCore } from '../services/app-core'
import { APP_VERSION } from '../services/version'
import { viewMenu } from './dev-tools-policy'

/** File → Import… / Export Run… / Open Data Folder; Edit; View; Help → About (versions, backend). */
export function installMenu(core: AppCore, dataDir: string, window: () => BrowserWindow | undefined, devTools: boolean): void {
  const isMac = process.platform === 'darwin'
  const importFile = async () => {
    const { grant, name } = await core.chooseFile('any')
    if (grant && name) core.events.emit('ui.importFile', { grant, name })
  }
  const about = async () => {
    const backends = await core.pool.reports().catch(() => [])
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
        { label: 'New Run…', accelerator: 'CmdOrCtrl+N', click: () => core.events.emit('ui.command', { command: 'newRun' }) },
        { label: 'Export Run…', accelerator: 'CmdOrCtrl+E', click: () => core.events.emit('ui.command', { command: 'exportRun' }) },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => core.events.emit('ui.command', { command: 'openSettings' }) },
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
