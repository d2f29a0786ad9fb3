/** Binds the contract to Electron IPC: one invoke channel checked by sender, one event channel. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'
import type { Envelope } from '../../src-shared/errors'
import type { AppCore } from '../services/app-core'
import { isTrustedRendererUrl, type RendererLocation } from './sender-policy'

export function bindIpc(core: AppCore, renderer: RendererLocation, windows: () => BrowserWindow[]): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, op: unknown, args: unknown): Promise<Envelope> => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, renderer)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused' } }
    }
    return core.dispatch(op, args)
  })
  const unsubscribe = core.events.subscribe((e) => {
    for (const w of windows()) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, e.name, e.payload)
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    unsubscribe()
  }
}
