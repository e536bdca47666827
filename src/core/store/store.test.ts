import { describe, expect, it } from 'vitest'
import { createEmitter, createStore, shallowEqual } from './store'

describe('createStore', () => {
  it('gets, sets and tells listeners the new state', () => {
    const store = createStore({ n: 0 })
    const seen: number[] = []
    store.subscribe((s) => seen.push(s.n))
    store.set({ n: 1 })
    store.set((s) => ({ n: s.n + 1 }))
    expect(store.get()).toEqual({ n: 2 })
    expect(seen).toEqual([1, 2])
  })

  it('publishes only on change', () => {
    const initial = { n: 0 }
    const store = createStore(initial)
    let calls = 0
    store.subscribe(() => calls++)
    store.set(initial)
    store.set((s) => s)
    expect(calls).toBe(0)
    const shallow = createStore({ n: 0, s: 'a' }, shallowEqual)
    shallow.subscribe(() => calls++)
    shallow.set({ n: 0, s: 'a' })
    expect(calls).toBe(0)
    shallow.set({ n: 0, s: 'b' })
    expect(calls).toBe(1)
  })

  it('stops telling a listener once unsubscribed, also from inside a notification', () => {
    const store = createStore(0)
    const seen: string[] = []
    const offA = store.subscribe((v) => {
      seen.push(`a${v}`)
      offA()
    })
    store.subscribe((v) => seen.push(`b${v}`))
    store.set(1)
    store.set(2)
    expect(seen).toEqual(['a1', 'b1', 'b2'])
  })
})

describe('createEmitter', () => {
  it('tells every emit, a repeated equal event too, and counts and clears its listeners', () => {
    const events = createEmitter<{ type: string }>()
    const seen: string[] = []
    const event = { type: 'take' }
    events.emit(event)
    const off = events.subscribe((e) => seen.push(e.type))
    events.subscribe((e) => seen.push(`2${e.type}`))
    expect(events.listenerCount()).toBe(2)
    events.emit(event)
    events.emit(event)
    expect(seen).toEqual(['take', '2take', 'take', '2take'])
    off()
    expect(events.listenerCount()).toBe(1)
    events.clear()
    expect(events.listenerCount()).toBe(0)
    events.emit({ type: 'done' })
    expect(seen).toHaveLength(4)
  })
})

describe('createStore listeners', () => {
  it('counts listeners and clears them on dispose', () => {
    const store = createStore(0)
    let calls = 0
    store.subscribe(() => calls++)
    expect(store.listenerCount()).toBe(1)
    store.clear()
    store.set(1)
    expect(store.listenerCount()).toBe(0)
    expect(calls).toBe(0)
    expect(store.get()).toBe(1)
  })
})

describe('shallowEqual', () => {
  it('compares own keys by Object.is', () => {
    const shared = [1]
    expect(shallowEqual({ a: 1, b: shared }, { a: 1, b: shared })).toBe(true)
    expect(shallowEqual({ a: 1, b: [1] }, { a: 1, b: [1] })).toBe(false)
    expect(shallowEqual({ a: 1 } as { a: number; b?: number }, { a: 1, b: undefined })).toBe(false)
    expect(shallowEqual(Number.NaN, Number.NaN)).toBe(true)
    expect(shallowEqual<unknown>(null, {})).toBe(false)
  })
})
