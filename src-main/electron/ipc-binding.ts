/**
 * Binds the contract to Electron IPC: one invoke channel checked by sender, one event channel. Takes
 * `ipcMain` as an argument (type-only import) so that the binding is unit-tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_GRANT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'
import type { Envelope } from '../../src-shared/errors'
import type { Dispatch } from '../services/dispatcher'
import type { EventBus } from '../services/event-bus'
import type { PathGrants } from '../services/path-grants'
import { isTrustedRendererUrl, type RendererLocation } from './sender-policy'

export interface IpcCore {
  dispatch: Dispatch
  events: EventBus
  grants: Pick<PathGrants, 'register' | 'name'>
}

export function bindIpc(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: IpcCore,
  renderer: RendererLocation,
  targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[]
): () => void {
  ipc.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, op: unknown, args: unknown): Promise<Envelope> => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, renderer)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused' } }
    }
    return core.dispatch(op, args)
  })
  // From the preload only (the page cannot reach ipcRenderer): a dropped file's path becomes a grant.
  ipc.handle(IPC_GRANT_CHANNEL, async (event: IpcMainInvokeEvent, path: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, renderer) || typeof path !== 'string' || !path) return null
    const grant = core.grants.register(path, 'read')
    return { grant, name: core.grants.name(grant) }
  })
  const unsubscribe = core.events.subscribe((e) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e.name, e.payload)
  })
  return () => {
    ipc.removeHandler(IPC_INVOKE_CHANNEL)
    ipc.removeHandler(IPC_GRANT_CHANNEL)
    unsubscribe()
  }
}
