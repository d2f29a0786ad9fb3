// Window size and position memory of the desktop shell, as pure logic (no Electron binary here).
import { describe, expect, it } from 'vitest'
import { DEFAULT_STATE, restoreState } from '../../src-main/electron/window-state'

const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('window state (pure; the Electron window itself is covered where a binary exists)', () => {
  it('restores a saved size and position that is still on a display', () => {
    expect(restoreState({ x: 100, y: 50, width: 1400, height: 900, maximized: true }, displays)).toEqual({
      x: 100,
      y: 50,
      width: 1400,
      height: 900,
      maximized: true
    })
  })
  it('drops a position on a display that is gone, keeping the size', () => {
    expect(restoreState({ x: 2500, y: 50, width: 1400, height: 900, maximized: false }, displays)).toEqual({
      width: 1400,
      height: 900,
      maximized: false
    })
  })
  it('falls back to the default for garbage or tiny sizes', () => {
    expect(restoreState(null, displays)).toEqual(DEFAULT_STATE)
    expect(restoreState({ width: 'big' }, displays)).toEqual(DEFAULT_STATE)
    expect(restoreState({ width: 100, height: 100 }, displays)).toEqual(DEFAULT_STATE)
  })
})
