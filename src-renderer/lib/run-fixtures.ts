/** Test fixtures: a completed forecast run's detail and its epoch records (used by the compare specs). */
import type { EpochRecord, RunDetail } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'

export function epochs(losses: [number, number | null][]): EpochRecord[] {
  return losses.map(([loss, valLoss], i) => ({
    epoch: i + 1,
    loss,
    valLoss,
    elapsedMs: (i + 1) * 1000,
    learningRate: null,
    accuracy: null,
    valAccuracy: null,
    sample: null,
    samplePrime: null
  }))
}

export function run(id: string, patch: Partial<RunDetail> = {}): RunDetail {
  return {
    id,
    name: id,
    datasetId: 'ds',
    datasetName: 'sine',
    datasetHash: 'h',
    status: 'completed',
    config: sineExampleConfig(),
    backend: 'wasm',
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    epochsDone: 0,
    lastLoss: null,
    lastValLoss: null,
    bestValLoss: null,
    bestEpoch: null,
    tags: [],
    notes: null,
    sweepId: null,
    metrics: null,
    textMetrics: null,
    error: null,
    epochs: [],
    backendAttempts: [],
    appVersion: '0',
    tfjsVersion: null,
    predictions: null,
    parameterCount: 0,
    artifacts: [],
    finalSample: null,
    importedFrom: null,
    trainedOn: null,
    remoteQueue: null,
    attempt: 1,
    attemptNote: null,
    ...patch
  }
}
