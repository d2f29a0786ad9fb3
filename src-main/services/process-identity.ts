/**
 * Who owns a run: this process's pid, its start time (Linux: /proc/<pid>/stat starttime, so a reused
 * pid is told apart) and host name, plus an id per core instance (tests open several cores in one
 * process). `ownerIsGone` decides, for a run found queued or running, whether its owner has ended.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

export interface RunOwner {
  pid: number
  /** 'linux:<clock ticks after boot>' or, elsewhere, 'ms:<approximate start, epoch ms>'. */
  started: string
  host: string
  instance: string
}

/** Core instances open in this process (an owner in this process is gone once its instance closed). */
const liveInstances = new Set<string>()

/** Field 3 (state) and 22 (starttime) of /proc/<pid>/stat, or null when there is no such process. */
function procStat(pid: number): { state: string; startTicks: string } | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: rest[0], startTicks: rest[19] }
}

/** The start identity of a running process, null when it is not running (a zombie counts as ended). */
export function processStarted(pid: number): string | null {
  if (process.platform === 'linux') {
    const stat = procStat(pid)
    if (!stat || stat.state === 'Z' || stat.state === 'X') return null
    return `linux:${stat.startTicks}`
  }
  return pidAlive(pid) ? 'unknown' : null
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A new owner identity for a core instance of this process; `release` when the core closes. */
export function registerOwner(): RunOwner {
  const started = processStarted(process.pid)
  const owner: RunOwner = {
    pid: process.pid,
    started: started?.startsWith('linux:') ? started : `ms:${Math.round(Date.now() - process.uptime() * 1000)}`,
    host: hostname(),
    instance: randomUUID()
  }
  liveInstances.add(owner.instance)
  return owner
}

export function releaseOwner(owner: RunOwner): void {
  liveInstances.delete(owner.instance)
}

export interface RecordedOwner {
  pid: number | null
  started: string | null
  host: string | null
  instance: string | null
  heartbeatAt: number | null
}

/**
 * Whether a run's recorded owner has ended. Same host: the pid is dead, or reused by a process with
 * another start time, or it is this process and the core instance closed. Another host (a shared
 * folder): its heartbeat is older than `staleMs`. A run without an owner (an older version's) is gone.
 */
export function ownerIsGone(owner: RecordedOwner, self: RunOwner, now: number, staleMs: number): boolean {
  if (owner.pid === null || owner.host === null) return true
  if (owner.host !== self.host) return owner.heartbeatAt === null || now - owner.heartbeatAt > staleMs
  if (owner.pid === self.pid && owner.started === self.started) return !liveInstances.has(owner.instance ?? '')
  const started = processStarted(owner.pid)
  if (started === null) return true
  return started.startsWith('linux:') && owner.started?.startsWith('linux:') === true && started !== owner.started
}
