/** `rnn-lab serve`: the core behind the HTTP + WebSocket binding on 127.0.0.1. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { AppCore } from '../services/app-core'
import { defaultDataDir } from '../services/data-dir'
import { APP_VERSION } from '../services/version'
import { loadServeToken } from '../server/token-file'
import { startServer } from '../server/http-server'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { intOption } from './args'
import { checkReachable, connectQueue } from '../remote'

/** Runs until SIGINT/SIGTERM; resolves once listening. */
export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      queue: { type: 'string' },
      'new-token': { type: 'boolean', default: false }
    },
    strict: true
  })
  const port = intOption(values.port, 'port', 0, 65535) ?? 0
  const workers = intOption(values.workers, 'workers', 1, 64)
  const dataDir = values['data-dir'] ?? defaultDataDir()
  // The built renderer sits beside out/main; this module may be bundled into out/main or out/main/chunks.
  const rendererDir =
    [join(__dirname, '../renderer'), join(__dirname, '../../renderer')].find((d) => existsSync(join(d, 'index.html'))) ??
    join(__dirname, '../renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir}): run \`npm run build\` first`)
  }
  const queueUrl = values.queue
  // An unreachable queue is reported once; local runs go on (Settings → Remote workers shows it too).
  if (queueUrl) await checkReachable(queueUrl).catch((err: Error) => console.error(`rnn-lab: ${err.message}`))
  const core = new AppCore({ dataDir, workerScript: TRAIN_WORKER_SCRIPT, workers, queueUrl, connectQueue })
  // Stable per data folder (open pages survive a restart); --new-token logs every page out.
  const token = loadServeToken(dataDir, { rotate: values['new-token'] })
  const server = await startServer({ dispatch: core.dispatch, events: core.events, uploads: core.uploads, token, rendererDir, port })
  if (core.interruptedAtStart > 0) {
    console.log(`${core.interruptedAtStart} run(s) left unfinished by an earlier stop are now marked interrupted.`)
  }
  console.log(`RNN Lab ${APP_VERSION} serving data folder ${dataDir}`)
  console.log(`Open ${server.url}`)
  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`\n${signal}: stopping (unfinished runs will show as interrupted)`)
    await server.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
