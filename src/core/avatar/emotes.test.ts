import { describe, expect, it } from 'vitest'
import { acceptEmoteCommand, createEmoteCommands, createEmotePlayer, parseEmoteCommand, playEmote, updateEmotePlayer } from './emotes'

describe('emote player', () => {
  it('eases in, holds, eases out and returns to the idle when the clip ends', () => {
    const p = createEmotePlayer({ fade: 0.25 })
    expect(updateEmotePlayer(p, 0.1)).toBe(0)
    playEmote(p, 'wave', 2)
    const weights: number[] = []
    for (let t = 0; t < 2.2; t += 0.05) weights.push(updateEmotePlayer(p, 0.05))
    expect(weights[0]).toBeGreaterThan(0)
    expect(weights[0]).toBeLessThan(0.3)
    expect(Math.max(...weights)).toBe(1)
    expect(weights[20]).toBe(1) // 1.05 s in: held
    // Eased out before the end, then nothing playing.
    expect(weights[37]).toBeLessThan(1)
    expect(weights.at(-1)).toBe(0)
    expect(p.active).toBeNull()
    expect(p.played).toBe(1)
  })

  it('a new emote replaces the one playing from its start', () => {
    const p = createEmotePlayer()
    playEmote(p, 'bow', 2)
    for (let i = 0; i < 20; i++) updateEmotePlayer(p, 0.05)
    playEmote(p, 'clap', 1.5)
    expect(p).toMatchObject({ active: 'clap', time: 0, duration: 1.5, played: 2 })
  })
})

describe('danmaku emote commands', () => {
  it('parses a command alone on the line, half- or full-width, English or Chinese', () => {
    expect(parseEmoteCommand('!wave')).toBe('wave')
    expect(parseEmoteCommand('  ！Wave ')).toBe('wave')
    expect(parseEmoteCommand('!挥手')).toBe('wave')
    expect(parseEmoteCommand('!鼓掌')).toBe('clap')
    expect(parseEmoteCommand('please !wave')).toBeNull()
    expect(parseEmoteCommand('wave')).toBeNull()
    expect(parseEmoteCommand('!')).toBeNull()
  })

  it('accepts only what the host allows, one emote per cooldown, one per viewer per viewer cooldown', () => {
    const gate = createEmoteCommands(['wave', 'clap'], { globalCooldown: 4, viewerCooldown: 20 })
    expect(acceptEmoteCommand(gate, 'ann', '!bow', 0)).toBeNull() // not allowed
    expect(acceptEmoteCommand(gate, 'ann', 'hello', 0)).toBeNull() // chat
    expect(acceptEmoteCommand(gate, 'ann', '!wave', 0)).toBe('wave')
    expect(acceptEmoteCommand(gate, 'bob', '!clap', 2)).toBeNull() // overall cooldown
    expect(acceptEmoteCommand(gate, 'bob', '!clap', 4)).toBe('clap')
    expect(acceptEmoteCommand(gate, 'ann', '!clap', 10)).toBeNull() // ann's own cooldown
    expect(acceptEmoteCommand(gate, 'ann', '!鼓掌', 20)).toBe('clap')
    expect(gate).toMatchObject({ accepted: 3, refused: 3 })
    gate.allowed.delete('wave')
    expect(acceptEmoteCommand(gate, 'cat', '!wave', 100)).toBeNull()
  })

  it('remembers a bounded number of viewers', () => {
    const gate = createEmoteCommands(['wave'], { globalCooldown: 0, viewerCooldown: 100, maxViewers: 3 })
    for (let i = 0; i < 10; i++) expect(acceptEmoteCommand(gate, `v${i}`, '!wave', i)).toBe('wave')
    expect(gate.lastByViewer.size).toBe(3)
  })
})
