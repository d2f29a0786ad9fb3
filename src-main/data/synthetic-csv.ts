import { open } from 'node:fs/promises'
import { mulberry32 } from '../../src-shared/random'

const MINUTE = 60_000
const BATCH_BYTES = 1 << 20

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/**
 * Write a synthetic CSV of `rows` data rows × 6 columns for benchmarks and tests:
 * `Date,Open,High,Low,Close,Volume`, one row per minute from 2000-01-01 00:00 UTC
 * (`YYYY-MM-DD HH:mm:ss`), prices a seeded random walk with 4 decimals, integer volume.
 * Written in 1 MiB batches, so memory stays small for any `rows`. Returns the bytes written.
 */
export async function writeSyntheticCsv(path: string, rows: number, seed = 1): Promise<number> {
  const rand = mulberry32(seed)
  const fh = await open(path, 'w')
  let bytes = 0
  try {
    let buf = 'Date,Open,High,Low,Close,Volume\n'
    let price = 100
    const t0 = Date.UTC(2000, 0, 1)
    for (let i = 0; i < rows; i++) {
      const d = new Date(t0 + i * MINUTE)
      const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:00`
      const open = price
      price = Math.max(1, price * (1 + (rand() - 0.5) * 0.002))
      const hi = Math.max(open, price) * (1 + rand() * 0.0005)
      const lo = Math.min(open, price) * (1 - rand() * 0.0005)
      buf += `${date},${open.toFixed(4)},${hi.toFixed(4)},${lo.toFixed(4)},${price.toFixed(4)},${Math.floor(rand() * 1e6)}\n`
      if (buf.length >= BATCH_BYTES) {
        const b = Buffer.from(buf)
        await fh.write(b)
        bytes += b.length
        buf = ''
      }
    }
    const b = Buffer.from(buf)
    await fh.write(b)
    bytes += b.length
  } finally {
    await fh.close()
  }
  return bytes
}
