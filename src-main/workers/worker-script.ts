// The built train worker's path, emitted by electron-vite next to the main bundle. Only entry points
// (Electron main, CLI) import this file; tests start the TypeScript worker through a tsx bootstrap.
import trainWorkerPath from './train-worker?modulePath'

export const TRAIN_WORKER_SCRIPT: string = trainWorkerPath
