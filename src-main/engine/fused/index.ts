/** Fused recurrent layers (see ./layers.ts) and their kernels (native ./native-kernels.ts, else ./wasm-kernels.ts). */
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
export { gatesOf, type CellKind, type KernelBackend } from './kernel-ops'
export { kernelThreads, setKernelThreads, type KernelThreads, type KernelThreadsSetting } from './kernel-threads'
export { kernelLoadError, kernelsDescription, loadKernels, setKernelBackend, type KernelChoice } from './kernels'
export { nativeLoadError, setNativeIsa } from './native-kernels'
export { disposeKernelThreads, kernelThreadStats } from './wasm-kernels'
export { batchSplit, fusedBackward, fusedForward, setSplitMinWork } from './drivers'
export { FUSED_NAME, fusedTopology, toFusedModel, type FuseOptions } from './convert'
export { nativeLoss, nativeTrainStep, type BatchArrays, type NativeTrainStep } from './native-train-step'
