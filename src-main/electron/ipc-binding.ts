/**
 * Binds the contract to Electron IPC: one invoke channel checked by sender, one event channel. Takes
 * `ipcMain` as an argument (type-only import) so that the binding is unit-tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'
import type { Envelope } from '../../src-shared/errors'
import type { Dispatch } from '../services/dispatcher'
import type { EventBus } from '../services/event-bus'
import { isTrustedRendererUrl, type RendererLocation } from './sender-policy'

export interface IpcCore {
  dispatch: Dispatch
  events: EventBus
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
  const unsubscribe = core.events.subscribe((e) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e.name, e.payload)
  })
  return () => {
    ipc.removeHandler(IPC_INVOKE_CHANNEL)
    unsubscribe()
  }
}
