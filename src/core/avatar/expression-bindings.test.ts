import { describe, expect, it } from 'vitest'
import {
  defaultExpressionBindings,
  expressionBindingsKey,
  expressionLabel,
  listModelExpressions,
  loadExpressionBindings,
  saveExpressionBindings,
} from './expression-bindings'

/** What three-vrm's expression manager lists for the default host plus custom faces (model order). */
const MODEL = ['aa', 'ih', 'ou', 'ee', 'oh', 'blink', 'blinkLeft', 'blinkRight', 'happy', 'angry', 'sad', 'relaxed', 'surprised', 'lookUp', 'wink', 'smug', '惊呆']

function memoryStore(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  }
}

describe('the model\'s expressions', () => {
  it('lists presets in VRM order, then custom ones in model order, never the procedural ones, neutral always', () => {
    expect(listModelExpressions(MODEL)).toEqual(['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'wink', 'smug', '惊呆'])
    // A 0.x model's custom groups (three-vrm keeps their names), no presets but the mouth: still a neutral face.
    expect(listModelExpressions(['aa', 'Joy2', 'Joy2', '', 'surprised'])).toEqual(['surprised', 'neutral', 'Joy2'])
  })

  it('binds keys 1–9 in list order and the buttons to their presets when the model has them', () => {
    const list = listModelExpressions(MODEL)
    const b = defaultExpressionBindings(list)
    expect(b.keys).toEqual(['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral', 'wink', 'smug', '惊呆'])
    expect(b.buttons).toEqual({ a: 'happy', b: 'surprised', x: 'sad', y: 'relaxed', stick: 'neutral' })
    const few = defaultExpressionBindings(['neutral', 'wink'])
    expect(few.keys).toEqual(['neutral', 'wink', null, null, null, null, null, null, null])
    expect(few.buttons).toEqual({ a: null, b: null, x: null, y: null, stick: 'neutral' })
  })

  it('remembers a binding per model and drops what the model does not have', () => {
    const list = listModelExpressions(MODEL)
    const store = memoryStore()
    const key = expressionBindingsKey('Test 表情', '1.0', list)
    expect(key).toMatch(/^lingjing\.expressionBindings\.[0-9a-f]{8}$/)
    expect(expressionBindingsKey('Test 表情', '1.0', list.slice(1))).not.toBe(key)
    const b = defaultExpressionBindings(list)
    b.keys[0] = 'wink'
    b.keys[8] = null
    b.buttons.a = '惊呆'
    saveExpressionBindings(store, key, b)
    expect(loadExpressionBindings(store, key, list)).toEqual(b)
    // Another model (another key) starts from its defaults.
    expect(loadExpressionBindings(store, expressionBindingsKey('Other', '1.0', list), list)).toEqual(defaultExpressionBindings(list))
    // Edited storage: unknown names, wrong types and garbage fall back slot by slot.
    store.setItem(key, JSON.stringify({ keys: ['nope', 7, 'smug'], buttons: { a: 'gone', b: null } }))
    const loaded = loadExpressionBindings(store, key, list)
    expect(loaded.keys.slice(0, 3)).toEqual(['happy', 'angry', 'smug'])
    expect(loaded.buttons).toMatchObject({ a: 'happy', b: null })
    store.setItem(key, '{not json')
    expect(loadExpressionBindings(store, key, list)).toEqual(defaultExpressionBindings(list))
  })

  it('a refused storage loses only the memory', () => {
    const store = { setItem: () => { throw new Error('QuotaExceededError') } }
    expect(() => saveExpressionBindings(store, 'k', defaultExpressionBindings(['neutral']))).not.toThrow()
  })

  it('labels presets in both languages and custom ones by their cleaned name', () => {
    expect(expressionLabel('happy')).toEqual({ zh: '开心', en: 'Happy' })
    expect(expressionLabel('wink')).toEqual({ zh: 'wink', en: 'wink' })
    expect(expressionLabel('evil\u202Eeman').en).not.toContain('\u202E')
  })
})
