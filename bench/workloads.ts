/** The fixed training workloads of the speed benchmark (issue "Engine speed"). */
import type { Cell } from '../src-shared/model-config'

export interface Workload {
  id: string
  description: string
  kind: 'text' | 'forecast'
  cell: Cell
  batch: number
  batches: number
}

export const WORKLOADS: Workload[] = [
  {
    id: 'A',
    description: 'char LM many-to-many, vocab 65 one-hot, seq 64, LSTM(128), batch 64',
    kind: 'text',
    cell: 'lstm',
    batch: 64,
    batches: 3
  },
  { id: 'A-gru', description: 'A with GRU(128)', kind: 'text', cell: 'gru', batch: 64, batches: 3 },
  { id: 'B', description: 'stock many-to-one, window 30 × 5, LSTM(64), batch 32', kind: 'forecast', cell: 'lstm', batch: 32, batches: 20 },
  { id: 'B-gru', description: 'B with GRU(64)', kind: 'forecast', cell: 'gru', batch: 32, batches: 20 },
  { id: 'C', description: 'sine, window 20 × 1, SimpleRNN(32), batch 32', kind: 'forecast', cell: 'simple_rnn', batch: 32, batches: 100 }
]
