/**
 * Electron main process: one window, the core in this process, training in worker threads, the
 * contract bound to IPC. `RNN_LAB_DATA_DIR` overrides the data folder (end-to-end tests).
 */
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import { AppCore } from '../services/app-core'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { connectQueue } from '../remote'
import { bindIpc } from './ipc-binding'
import { installMenu } from './menu'
import { electronSqliteBinding } from './native-binding'
import { integrateTraining } from './desktop-integration'
import { electronShell } from './shell-adapter'
import { createMainWindow, rendererLocation } from './window'

let core: AppCore | null = null
let mainWindow: BrowserWindow | null = null

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })
  app.whenReady().then(start, (err) => fatal(err))
}

function fatal(err: unknown): void {
  dialog.showErrorBox('RNN Lab could not start', err instanceof Error ? err.message : String(err))
  app.exit(1)
}

function start(): void {
  try {
    const dataDir = process.env.RNN_LAB_DATA_DIR || app.getPath('userData')
    core = new AppCore({
      dataDir,
      workerScript: TRAIN_WORKER_SCRIPT,
      nativeBinding: electronSqliteBinding(app.getAppPath()),
      transport: 'ipc',
      shell: electronShell(() => mainWindow),
      connectQueue
    })
    // Deny every permission request (camera, notifications prompts, geolocation, ...).
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    const renderer = rendererLocation()
    bindIpc(ipcMain, core, renderer, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
    installMenu(core, dataDir, () => mainWindow ?? undefined)
    integrateTraining(core.events, core.runs, () => mainWindow)
    const open = () => {
      mainWindow = createMainWindow(renderer, app.getPath('userData'))
      mainWindow.on('closed', () => (mainWindow = null))
    }
    open()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open()
    })
  } catch (err) {
    fatal(err)
  }
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let quitting = false
app.on('before-quit', (event) => {
  if (!core || quitting) return
  quitting = true
  event.preventDefault()
  core.close().finally(() => app.quit())
})
