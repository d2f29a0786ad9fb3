#!/usr/bin/env node
// Draws the app icon (resources/icon.png, 512×512) from code: a dark rounded square, a blue sine
// wave and an amber recurrent loop, anti-aliased by 4×4 supersampling. Deterministic: same bytes
// every run. Matches resources/icon.svg.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const N = 512
const S = 4 // supersampling per axis
const px = new Float64Array(N * N * 4)

const bg = [0x14, 0x16, 0x1f]
const blue = [0x5b, 0x8d, 0xef]
const amber = [0xf2, 0xb8, 0x4b]

// Shapes in the SVG's 256-unit space.
const inRoundedRect = (x, y) => {
  const r = 56
  const cx = Math.min(Math.max(x, r), 256 - r)
  const cy = Math.min(Math.max(y, r), 256 - r)
  return x >= 0 && y >= 0 && x <= 256 && y <= 256 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}
// The wave: y = 150 - 80 sin(...) from x = 28 to 228, stroke 18.
const waveY = (x) => 150 - 78 * Math.sin(((x - 28) / 200) * 2 * Math.PI)
const nearWave = (x, y) => {
  if (x < 28 - 9 || x > 228 + 9) return false
  let best = Infinity
  for (let t = Math.max(28, x - 20); t <= Math.min(228, x + 20); t += 0.5) best = Math.min(best, (t - x) ** 2 + (waveY(t) - y) ** 2)
  return best <= 81
}
const inDot = (x, y) => (x - 124) ** 2 + (y - 150) ** 2 <= 18 * 18
const nearLoop = (x, y) => {
  const d = Math.hypot(x - 141, y - 110)
  return Math.abs(d - 22) <= 5 && !(x > 124 && y > 118)
}

for (let j = 0; j < N; j++) {
  for (let i = 0; i < N; i++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0
    for (let sy = 0; sy < S; sy++) {
      for (let sx = 0; sx < S; sx++) {
        const x = ((i + (sx + 0.5) / S) / N) * 256
        const y = ((j + (sy + 0.5) / S) / N) * 256
        if (!inRoundedRect(x, y)) continue
        const c = inDot(x, y) || nearLoop(x, y) ? amber : nearWave(x, y) ? blue : bg
        r += c[0]
        g += c[1]
        b += c[2]
        a += 255
      }
    }
    const k = S * S
    const o = (j * N + i) * 4
    px[o] = a ? (r / a) * 255 : 0
    px[o + 1] = a ? (g / a) * 255 : 0
    px[o + 2] = a ? (b / a) * 255 : 0
    px[o + 3] = a / k
  }
}

const raw = Buffer.alloc(N * (N * 4 + 1))
for (let j = 0; j < N; j++) {
  raw[j * (N * 4 + 1)] = 0
  for (let i = 0; i < N * 4; i++) raw[j * (N * 4 + 1) + 1 + i] = Math.round(px[j * N * 4 + i])
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const c = Buffer.alloc(4)
  c.writeUInt32BE(crc(td))
  return Buffer.concat([len, td, c])
}
const ihdr = Buffer.alloc(13)
ihdr.writeUInt32BE(N, 0)
ihdr.writeUInt32BE(N, 4)
ihdr[8] = 8
ihdr[9] = 6
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0))
])
writeFileSync(new URL('../resources/icon.png', import.meta.url), png)
console.log(`resources/icon.png: ${png.length} bytes`)
