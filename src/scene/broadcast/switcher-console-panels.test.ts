import { describe, expect, it } from 'vitest'
import { PLAIN_CELL_PX, packShelves, plainCellUv } from '../text/text-atlas'
import { TILE_H, TILE_W, createSwitcherConsolePanels, tileX, type SwitcherConsoleState } from './switcher-console-panels'

const CAMERAS = [
  { id: 'wide', label: { zh: '全景', en: 'Wide' } },
  { id: 'medium', label: { zh: '中景', en: 'Medium' } },
  { id: 'close-up', label: { zh: '特写', en: 'Close-up' } },
  { id: 'first-person', label: { zh: '第一人称', en: 'First person' } },
  { id: 'orbit', label: { zh: '环绕', en: 'Orbit' } },
]

function state(patch: Partial<SwitcherConsoleState> = {}): SwitcherConsoleState {
  return { cameras: CAMERAS, onAir: 'medium', inPreview: 'close-up', transition: 'dip', recordLabel: '● Record', recording: false, liveState: 'off', lang: 'en', ...patch }
}

function calls() {
  const log: string[] = []
  return { log, actions: { take: (id: string) => log.push(`take ${id}`), setTransition: (k: string) => log.push(`transition ${k}`), toggleRecord: () => log.push('record') } }
}

describe('switcher console as one atlas', () => {
  it('holds the backing plate, a frame and a label per camera, three transitions, Record and WHIP, with unique names', () => {
    const panels = createSwitcherConsolePanels(state(), calls().actions)
    expect(panels).toHaveLength(1 + 5 + 5 + 3 + 2)
    expect(new Set(panels.map((p) => p.name)).size).toBe(panels.length)
    // Plate and frames come first: text drawn later in the same mesh blends over them.
    expect(panels.slice(0, 6).every((p) => p.plain)).toBe(true)
    expect(panels.slice(6).some((p) => p.plain)).toBe(false)
    // The frame sits behind its tile, around it.
    const frame = panels.find((p) => p.name === 'switcher-frame-orbit')!
    expect(frame.position[0]).toBeCloseTo(tileX(4, 5))
    expect(frame.position[2]).toBeLessThan(0)
    expect(frame.width).toBeGreaterThan(TILE_W)
    expect(frame.height).toBeGreaterThan(TILE_H)
  })

  it('shows on air red, preview green, the chosen transition pink, a take in progress red', () => {
    const bg = (s: SwitcherConsoleState, name: string) => createSwitcherConsolePanels(s, calls().actions).find((p) => p.name === name)!.background
    expect(bg(state(), 'switcher-frame-medium')).toBe('#ff2a3a')
    expect(bg(state(), 'switcher-frame-close-up')).toBe('#38d26a')
    expect(bg(state(), 'switcher-frame-wide')).toBe('#2a3550')
    expect(bg(state({ onAir: 'wide' }), 'switcher-frame-wide')).toBe('#ff2a3a')
    expect(bg(state(), 'switcher-label-medium')).not.toBe(bg(state(), 'switcher-label-wide'))
    expect(bg(state(), 'switcher-transition-dip')).not.toBe(bg(state(), 'switcher-transition-cut'))
    expect(bg(state({ recording: true }), 'switcher-record')).not.toBe(bg(state(), 'switcher-record'))
    expect(bg(state({ liveState: 'live' }), 'switcher-live')).not.toBe(bg(state({ liveState: 'reconnecting' }), 'switcher-live'))
  })

  it('labels in the chosen language, and every button does its own thing; frames, plate and WHIP are not clickable', () => {
    const { log, actions } = calls()
    const zh = createSwitcherConsolePanels(state({ lang: 'zh', liveState: 'live' }), actions)
    expect(zh.find((p) => p.name === 'switcher-label-first-person')!.lines[0].text).toBe('F4 第一人称')
    expect(zh.find((p) => p.name === 'switcher-live')!.lines[0].text).toMatch(/^WHIP · /)
    expect(zh.find((p) => p.name === 'switcher-live')!.lines[0].text).not.toMatch(/[A-Za-z]{3,}$/)
    const en = createSwitcherConsolePanels(state(), actions)
    expect(en.find((p) => p.name === 'switcher-label-first-person')!.lines[0].text).toBe('F4 First person')
    for (const p of en) p.onClick?.({} as never)
    expect(log).toEqual(['take wide', 'take medium', 'take close-up', 'take first-person', 'take orbit', 'transition cut', 'transition dip', 'transition move', 'record'])
    expect(en.filter((p) => p.plain || p.name === 'switcher-live').every((p) => p.onClick === undefined)).toBe(true)
  })

  it('fits one 512 px atlas at 512 px/m, and a plain cell is sampled at its centre only', () => {
    const panels = createSwitcherConsolePanels(state(), calls().actions)
    const sizes = panels.map((p) => (p.plain ? { w: PLAIN_CELL_PX, h: PLAIN_CELL_PX } : { w: Math.round(p.width * 512), h: Math.round(p.height * 512) }))
    const layout = packShelves(sizes, 512)
    expect(layout.height).toBeLessThanOrEqual(256)
    const [u0, v0, u1, v1] = plainCellUv({ x: 8, y: 0, w: 4, h: 4 }, 512, 128)
    expect([u0, v0]).toEqual([10 / 512, 1 - 2 / 128])
    expect([u1, v1]).toEqual([u0, v0])
  })
})
