/** The built renderer's files by URL path (traversal refused): shared by the two front ends that serve them, serve's HTTP and the desktop's app:// scheme. */
import { createReadStream, statSync } from 'node:fs'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2'
}

/**
 * Resolves a URL path to a file inside `root`, or null when it escapes the root (path traversal) or
 * does not exist. Unknown paths without an extension fall back to index.html (client routing).
 */
export function resolveStatic(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const base = resolve(root)
  const target = resolve(base, normalize('.' + sep + decoded))
  if (target !== base && !target.startsWith(base + sep)) return null
  const file = statSafe(target)?.isDirectory() ? join(target, 'index.html') : target
  if (statSafe(file)?.isFile()) return file
  return extname(decoded) ? null : statSafe(join(base, 'index.html'))?.isFile() ? join(base, 'index.html') : null
}

function statSafe(p: string) {
  try {
    return statSync(p)
  } catch {
    return null
  }
}

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export function openStatic(file: string) {
  return createReadStream(file)
}
