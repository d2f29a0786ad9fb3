// A real `rnn-lab worker` process for tests: the same RemoteWorker and options, with the TypeScript
// train worker started through the tsx bootstrap. Run: node --import tsx remote-worker-process.ts --queue …
import { RemoteWorker } from '../../src-main/remote/remote-worker'
import { workerOptions } from '../../src-main/cli/worker-options'

const worker = new RemoteWorker({
  ...workerOptions(process.argv.slice(2)),
  script: new URL('./train-worker-bootstrap.mjs', import.meta.url),
  execArgv: []
})
worker.start().then(
  () => console.log('READY'),
  (err: Error) => {
    console.error(err.message)
    process.exit(2)
  }
)
const stop = () => void worker.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
