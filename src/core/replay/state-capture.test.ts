import { Quaternion, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { createRng } from '../time/rng'
import { validateRecording } from './validate-recording'
import { createSyntheticRecording } from './synthetic-session'
import { captureState, restoreState } from './state-capture'

function graph() {
  return {
    t: 1.5,
    name: 'a',
    on: true,
    none: null as string | null,
    far: Infinity,
    v: new Vector3(1, 2, 3),
    q: new Quaternion(0, 0.6, 0, 0.8),
    history: new Float64Array([1, 2, 3]),
    list: [{ code: 'x', active: true }],
    nested: { deeper: { value: 4 } },
    rng: createRng(7),
    fn: () => 1,
  }
}

describe('state capture', () => {
  it('restores a graph in place: the same instances hold the captured values', () => {
    const source = graph()
    source.rng.next()
    source.rng.next()
    source.v.set(-1, 0.5, 9)
    source.q.set(0, 0, 0.6, 0.8)
    source.history[2] = 42
    source.list.push({ code: 'y', active: false })
    source.none = 'set'
    source.far = -Infinity
    const data = JSON.parse(JSON.stringify(captureState(source)))

    const target = graph()
    const { v, q, history, rng } = target
    restoreState(target, data)
    expect(target.v).toBe(v)
    expect(target.q).toBe(q)
    expect(target.history).toBe(history)
    expect(target.v.toArray()).toEqual([-1, 0.5, 9])
    expect(target.q.toArray()).toEqual([0, 0, 0.6, 0.8])
    expect([...target.history]).toEqual([1, 2, 42])
    expect(target.list).toEqual([
      { code: 'x', active: true },
      { code: 'y', active: false },
    ])
    expect(target.none).toBe('set')
    expect(target.far).toBe(-Infinity)
    // The RNG continues the source's sequence.
    expect(rng.next()).toBe(source.rng.next())
    expect(target.fn()).toBe(1)
  })

  it('shortens arrays to the captured length', () => {
    const target = { xs: [1, 2, 3] }
    restoreState(target, captureState({ xs: [9] }))
    expect(target.xs).toEqual([9])
  })

  it('refuses shared references, cycles, too deep graphs and mismatched typed arrays', () => {
    const shared = { a: 1 }
    expect(() => captureState({ x: shared, y: shared })).toThrow(/\$\.y is shared or cyclic/)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => captureState(cyclic)).toThrow(/cyclic/)
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 20; i++) deep = { deep }
    expect(() => captureState(deep)).toThrow(/deeper/)
    expect(() => restoreState({ h: new Float32Array(2) }, { h: [1, 2, 3] })).toThrow(/\$\.h has 2 entries, the capture 3/)
  })

  it('a capture is valid event data in a recording', () => {
    const recording = createSyntheticRecording({ frames: 3, inputs: 'none', seed: 1 })
    recording.events.push({ frame: 0, t: 0, type: 'state', data: captureState(graph()) })
    expect(validateRecording(JSON.stringify(recording)).ok).toBe(true)
  })
})
