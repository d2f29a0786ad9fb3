// Which recorded run owners have ended: a closed core instance, a dead pid, a pid reused by a process
// with another start time (Linux), or, on another host, a stale heartbeat.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ownerIsGone, processStarted, registerOwner, releaseOwner } from '../../src-main/services/process-identity'

const self = registerOwner()
const now = Date.now()
const recorded = (o: Partial<Parameters<typeof ownerIsGone>[0]>) => ({
  pid: self.pid,
  started: self.started,
  host: self.host,
  instance: self.instance,
  heartbeatAt: now,
  ...o
})

describe('run owners', () => {
  it('this process: alive while its core instance is open, gone once it closed', () => {
    const other = registerOwner()
    expect(ownerIsGone(recorded({ instance: other.instance }), self, now, 60_000)).toBe(false)
    releaseOwner(other)
    expect(ownerIsGone(recorded({ instance: other.instance }), self, now, 60_000)).toBe(true)
  })

  it('another process on this host: alive while its pid runs with the same start time', () => {
    const parent = process.ppid
    const started = processStarted(parent)
    expect(ownerIsGone(recorded({ pid: parent, started, instance: 'x' }), self, now, 60_000)).toBe(false)
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    expect(ownerIsGone(recorded({ pid: dead, started: 'linux:1', instance: 'x' }), self, now, 60_000)).toBe(true)
    if (process.platform === 'linux') {
      expect(started).toMatch(/^linux:\d+$/)
      expect(ownerIsGone(recorded({ pid: parent, started: 'linux:1', instance: 'x' }), self, now, 60_000)).toBe(true)
    }
  })

  it('another host: gone only when its heartbeat is stale; a run without an owner is gone', () => {
    const remote = recorded({ host: 'elsewhere', pid: 1, instance: 'x' })
    expect(ownerIsGone({ ...remote, heartbeatAt: now - 1000 }, self, now, 60_000)).toBe(false)
    expect(ownerIsGone({ ...remote, heartbeatAt: now - 120_000 }, self, now, 60_000)).toBe(true)
    expect(ownerIsGone(recorded({ pid: null, host: null }), self, now, 60_000)).toBe(true)
  })
})
