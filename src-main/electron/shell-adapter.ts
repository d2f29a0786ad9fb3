import { dialog, shell, type BrowserWindow } from 'electron'
import type { ShellAdapter } from '../services/shell'

/** Native dialogs and the file manager for the core (the desktop shell's half of `shell.*`). */
export function electronShell(window: () => BrowserWindow | null): ShellAdapter {
  return {
    async chooseFile({ title, filters }) {
      const w = window()
      const options = { title, filters, properties: ['openFile' as const] }
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async chooseFolder({ title }) {
      const w = window()
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] }
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async reveal(path) {
      shell.showItemInFolder(path)
    }
  }
}
