/** The main window with Electron's security checklist applied. */
import { BrowserWindow, screen, shell } from 'electron'
import { loadState, saveState } from './window-state'
import { join } from 'node:path'
import { APP_ENTRY_URL } from './app-protocol'
import type { RendererLocation } from './sender-policy'
import { guardNavigation } from './web-guards'

export function rendererLocation(): RendererLocation {
  return { devUrl: process.env.ELECTRON_RENDERER_URL }
}

/** The built renderer that `app://` serves. */
export const RENDERER_DIR = join(__dirname, '../renderer')

export function createMainWindow(renderer: RendererLocation, stateDir: string, devTools: boolean): BrowserWindow {
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
      devTools,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize()
    win.show()
  })
  // Remember size and position for the next launch.
  win.on('close', () => saveState(stateDir, { ...win.getNormalBounds(), maximized: win.isMaximized() }))
  // No navigation or redirect away from the app; links open in the system browser only when http(s).
  guardNavigation(win.webContents, renderer, (url) => void shell.openExternal(url))
  if (renderer.devUrl) void win.loadURL(renderer.devUrl)
  else void win.loadURL(APP_ENTRY_URL)
  return win
}
