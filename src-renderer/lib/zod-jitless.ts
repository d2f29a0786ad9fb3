/**
 * zod 4 probes `new Function` when its first object schema is built, to JIT-compile parsers. The
 * renderer's CSP forbids eval, so the probe only produces a CSP violation report: turn the JIT off
 * before any schema module is evaluated (main.ts imports this first).
 */
import { config } from 'zod'

config({ jitless: true })
