// Starts the TypeScript train worker in a worker thread under tsx (tests only; the app runs the built one).
import { register as registerCjs } from 'tsx/cjs/api'
import { register as registerEsm } from 'tsx/esm/api'

registerCjs()
registerEsm()
await import('../../src-main/workers/train-worker.ts')
