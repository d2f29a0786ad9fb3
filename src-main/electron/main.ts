/**
 * Electron main process: one window, the core in this process, training in worker threads, the
 * contract bound to IPC. `RNN_LAB_DATA_DIR` overrides the data folder (end-to-end tests).
 */
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron'
import { AppCore } from '../services/app-core'
import { coreClient } from '../services/core-client'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { connectQueue } from '../remote'
import { bindIpc } from './ipc-binding'
import { installMenu } from './menu'
import { electronSqliteBinding } from './native-binding'
import { integrateTraining } from './desktop-integration'
import { electronShell } from './shell-adapter'
import { createMainWindow, RENDERER_DIR, rendererLocation } from './window'
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './app-protocol'
import { devToolsAllowed } from './dev-tools-policy'
import { denyAllPermissions } from './web-guards'

let core: AppCore | null = null
let mainWindow: BrowserWindow | null = null

// Before ready: app:// is a standard, secure scheme (its own origin; fetch works; no file:// page).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

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

/** Serves the built renderer on app://rnn-lab/; anything outside it (traversal) is a 404. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppRequest(RENDERER_DIR, request.url)
    return file ? net.fetch(pathToFileURL(file).href) : new Response('Not found', { status: 404 })
  })
}

function start(): void {
  try {
    const dataDir = process.env.RNN_LAB_DATA_DIR || app.getPath('userData')
    core = new AppCore({
      dataDir,
      workerScript: TRAIN_WORKER_SCRIPT,
      nativeBinding: electronSqliteBinding(app.getAppPath()),
      shell: electronShell(() => mainWindow),
      connectQueue
    })
    denyAllPermissions(session.defaultSession)
    serveRenderer()
    const renderer = rendererLocation()
    const devTools = devToolsAllowed(app.isPackaged, renderer.devUrl)
    bindIpc(ipcMain, core, renderer, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
    const client = coreClient(core)
    const events = core.events
    const ui = {
      importFile: (file: { grant: string; name: string }) => events.emit('ui.importFile', file),
      command: (command: 'exportRun' | 'newRun' | 'openSettings') => events.emit('ui.command', { command })
    }
    installMenu(client, ui, dataDir, () => mainWindow ?? undefined, devTools)
    integrateTraining(client, () => mainWindow)
    const open = () => {
      mainWindow = createMainWindow(renderer, app.getPath('userData'), devTools)
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
