// Config paths come from outside (sweep grids typed by a person, requests): a path must never reach
// Object.prototype.
import { describe, expect, it } from 'vitest'
import { getPath, setPath } from '../../src-shared/config-paths'
import { expandSweep } from '../../src-shared/sweep'

describe('config paths refuse prototype keys', () => {
  it.each(['__proto__.x', 'constructor.prototype.x', 'model.__proto__.polluted', 'a[0].prototype'])(
    'setPath refuses %s, naming the key, and Object.prototype stays clean',
    (path) => {
      expect(() => setPath({ model: {}, a: [{}] }, path, 1)).toThrow(/"(__proto__|constructor|prototype)" is not allowed/)
      expect(({} as Record<string, unknown>).x).toBeUndefined()
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }
  )

  it('a sweep grid key "__proto__.x" is refused and pollutes nothing', () => {
    expect(() => expandSweep({ model: {} }, { grid: { '__proto__.x': [1] } })).toThrow(/__proto__\.x.*"__proto__" is not allowed/)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('getPath reads own fields only', () => {
    expect(getPath({ a: { b: 2 } }, 'a.b')).toBe(2)
    expect(getPath({}, '__proto__')).toBeUndefined()
    expect(getPath({}, 'constructor')).toBeUndefined()
  })

  it('ordinary paths still set and create what they need', () => {
    expect(setPath({ model: { layers: [{ units: 4 }] } }, 'model.layers[0].units', 8)).toEqual({ model: { layers: [{ units: 8 }] } })
    expect(setPath({}, 'training.batchSize', 16)).toEqual({ training: { batchSize: 16 } })
  })
})
