/** Fused recurrent layers (see ./layers.ts) and their wasm kernels (./wasm-kernels.ts). */
export {
  FusedGRU,
  FusedLSTM,
  FusedRNNBase,
  FusedSimpleRNN,
  FUSED_CLASS_NAMES,
  fusedGRU,
  fusedLSTM,
  fusedSimpleRNN,
  registerFusedLayers,
  type FusedImplementation,
  type FusedRNNArgs
} from './layers'
export {
  batchSplit,
  disposeKernelThreads,
  fusedBackward,
  fusedForward,
  kernelLoadError,
  kernelThreads,
  kernelThreadStats,
  loadKernels,
  setKernelThreads,
  type CellKind,
  type KernelThreads,
  type KernelThreadsSetting
} from './wasm-kernels'
export { FUSED_NAME, fusedTopology, toFusedModel, type FuseOptions } from './convert'
