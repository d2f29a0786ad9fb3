import { Menu, app, dialog, shell, type BrowserWindow } from 'electron'
import { APP_VERSION } from '../services/version'

export function installMenu(dataDir: string, window: () => BrowserWindow | undefined): void {
  const isMac = process.platform === 'darwin'
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About RNN Lab',
          click: () => {
            const w = window()
            const message = `RNN Lab ${APP_VERSION}`
            const detail = `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nData folder: ${dataDir}`
            if (w) void dialog.showMessageBox(w, { type: 'info', message, detail })
            else void dialog.showMessageBox({ type: 'info', message, detail })
          }
        }
      ]
    }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  app.setAboutPanelOptions({ applicationName: 'RNN Lab', applicationVersion: APP_VERSION })
}
