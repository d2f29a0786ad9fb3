/**
 * The queue the core sends runs to: the URL from the command line, else the one saved in the settings
 * table (password included, in the database file; it is never sent back, only a redacted form), and
 * whether new runs go to it by default. Opens and replaces the port as the settings change.
 */
import { redactQueueUrl, type RemoteStatus, type RunTarget } from '../../src-shared/remote'
import type { RegistryRepo } from '../store/registry-repo'
import type { RemotePort } from './remote-port'

const URL_KEY = 'remoteQueueUrl'
const SEND_KEY = 'remoteSendRuns'

export class RemoteSettings {
  port: RemotePort | null = null
  private source: RemoteStatus['source'] = null
  private openError: string | null = null

  constructor(
    private readonly settings: RegistryRepo,
    private readonly options: { queueUrl?: string; connectQueue?: (url: string) => RemotePort }
  ) {
    const saved = settings.setting(URL_KEY)
    if (options.queueUrl) this.open(options.queueUrl, 'command-line')
    else if (typeof saved === 'string') this.open(saved, 'settings')
  }

  private open(url: string, source: NonNullable<RemoteStatus['source']>): void {
    this.source = source
    this.openError = null
    if (!this.options.connectQueue) return
    try {
      this.port = this.options.connectQueue(url)
    } catch (err) {
      this.openError = `${(err as Error).message} (${redactQueueUrl(url)})`
    }
  }

  defaultTarget(): RunTarget {
    return this.port && this.settings.setting(SEND_KEY) === true ? 'remote' : 'local'
  }

  configure(req: { url?: string | null; sendRuns?: boolean }): void {
    if (req.sendRuns !== undefined) this.settings.setSetting(SEND_KEY, req.sendRuns)
    if (req.url === undefined) return
    this.settings.setSetting(URL_KEY, req.url)
    if (this.source === 'command-line') return
    const old = this.port
    this.port = null
    this.source = null
    void old?.close()
    if (req.url) this.open(req.url, 'settings')
  }

  async status(): Promise<RemoteStatus> {
    const sendRuns = this.settings.setting(SEND_KEY) === true
    const empty = { workers: [], waiting: 0, active: 0, sendRuns, source: this.source }
    if (!this.port) return { ...empty, url: null, connected: false, error: this.openError }
    try {
      return { ...(await this.port.status()), source: this.source, sendRuns }
    } catch (err) {
      return { ...empty, url: this.port.url, connected: false, error: (err as Error).message }
    }
  }

  async close(): Promise<void> {
    await this.port?.close()
    this.port = null
  }
}
