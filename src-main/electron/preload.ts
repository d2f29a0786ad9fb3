/**
 * Sandboxed preload (built as CommonJS): exposes only the transport of the typed client, never
 * ipcRenderer itself. The renderer wraps `window.rnnLab` with `createClient`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_GRANT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'

contextBridge.exposeInMainWorld('rnnLab', {
  /**
   * A read grant for a file the person dropped or picked (imports read it in place, no upload). The
   * path goes from here to the main process only; the page gets an opaque grant id and the file name.
   * A File the page built itself has no path, and gets no grant.
   */
  grantForFile: (file: File) => ipcRenderer.invoke(IPC_GRANT_CHANNEL, webUtils.getPathForFile(file)),
  invoke: (op: string, args: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, op, args),
  subscribe: (listener: (name: string, payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler)
    }
  }
})
