/** The main window with Electron's security checklist applied. */
import { BrowserWindow, screen, shell } from 'electron'
import { loadState, saveState } from './window-state'
import { join } from 'node:path'
import { isExternalLink, isTrustedRendererUrl, type RendererLocation } from './sender-policy'

export function rendererLocation(): RendererLocation {
  return {
    devUrl: process.env.ELECTRON_RENDERER_URL,
    indexFile: join(__dirname, '../renderer/index.html')
  }
}

export function createMainWindow(renderer: RendererLocation, stateDir: string): BrowserWindow {
  const state = loadState(
    stateDir,
    screen.getAllDisplays().map((d) => d.workArea)
  )
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'RNN Lab',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    win.show()
  })
  // Remember size and position for the next launch.
  win.on('close', () => saveState(stateDir, { ...win.getNormalBounds(), maximized: win.isMaximized() }))
  // No navigation away from the app; links open in the system browser only when http(s).
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, renderer)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (renderer.devUrl) void win.loadURL(renderer.devUrl)
  else void win.loadFile(renderer.indexFile)
  return win
}
