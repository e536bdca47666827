import { useCallback, useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react'
import { acceptEmoteCommand, createEmoteCommands, saveExpressionBindings, type EmoteCommands, type ExpressionBindings } from '../../core/avatar'
import type { DanmakuMessage } from '../../core/broadcast/danmaku'
import { playRigEmote, setRigExpression, type AvatarRig } from '../../scene/avatar/avatar-rig'
import type { Lingjing } from '../../scene/lingjing-context'
import { hostStorage, type HostState } from './host-state'
import type { ExpressionSlot } from './studio-controls'
import type { HostRigInfo } from './use-host-rig'

/** What {@link useHostExpressions} gives the experience. */
export interface HostExpressions {
  /** Sets an expression from a controller button or the screen; a change is a recorded app event. */
  pressExpression(rig: AvatarRig, preset: string, source: 'controller' | 'screen'): void
  /** Sets an expression from the page or the in-world panel (only the host on stage). */
  setExpression(preset: string): void
  /** Binds a hotkey or controller button to an expression (saved per model). */
  onBind(slot: ExpressionSlot, name: string | null): void
}

/**
 * The model's own expressions on keys 1–9, controller buttons, palette and panel. A change of
 * expression goes on the recording's timeline as an app event (and, during a deterministic replay,
 * into its state hash); repeated presses of the same preset are not events.
 */
export function useHostExpressions(lj: Lingjing, host: HostState, setRigInfo: Dispatch<SetStateAction<HostRigInfo>>): HostExpressions {
  const pressExpression = useCallback(
    (rig: AvatarRig, preset: string, source: 'controller' | 'screen') => {
      if (rig.blender.target.preset === preset) return
      setRigExpression(rig, preset)
      lj.xrSessions.recordEvent('expression', { preset, source })
    },
    [lj],
  )
  const setExpression = useCallback(
    (preset: string) => {
      // The audience watches the host's face; only the one on stage changes it.
      if (host.rig && !host.audience) pressExpression(host.rig, preset, 'screen')
    },
    [host, pressExpression],
  )
  const onBind = useCallback(
    (slot: ExpressionSlot, name: string | null) => {
      const current = host.bindings
      if (!current) return
      const next: ExpressionBindings = { keys: [...current.keys], buttons: { ...current.buttons } }
      if (slot.kind === 'key') next.keys[slot.index] = name
      else next.buttons[slot.button] = name
      host.bindings = next
      const store = hostStorage()
      if (store) saveExpressionBindings(store, host.bindingsKey, next)
      setRigInfo((info) => ({ ...info, bindings: next }))
    },
    [host, setRigInfo],
  )
  return { pressExpression, setExpression, onBind }
}

/** What {@link useHostEmotes} gives the experience. */
export interface HostEmotes {
  /** Plays an emote; a played one is a recorded app event. */
  playEmote(name: string, source: 'screen' | 'danmaku'): void
  /** The danmaku command gate (the host's allowed set, cooldowns, counts). */
  emoteGate: EmoteCommands
  /** Feeds every danmaku message to the gate: an allowed `!name` past its cooldowns plays. */
  onDanmaku(message: DanmakuMessage): void
  /** The emotes the audience may trigger, as the panel shows them. */
  allowedEmotes: ReadonlySet<string>
  onAllowEmote(name: string, allowed: boolean): void
}

/** Emotes from the palette, Shift+1–9, and the audience's `!wave` when the host allows it. */
export function useHostEmotes(lj: Lingjing, host: HostState): HostEmotes {
  const playEmote = useCallback(
    (name: string, source: 'screen' | 'danmaku') => {
      if (host.rig && playRigEmote(host.rig, name)) lj.xrSessions.recordEvent('emote', { name, source })
    },
    [host, lj],
  )
  const [allowedEmotes, setAllowedEmotes] = useState<ReadonlySet<string>>(() => new Set())
  const emoteGate = useMemo(() => createEmoteCommands([]), [])
  useEffect(() => {
    emoteGate.allowed.clear()
    for (const name of allowedEmotes) emoteGate.allowed.add(name)
  }, [emoteGate, allowedEmotes])
  const onDanmaku = useCallback(
    (message: DanmakuMessage) => {
      // Anonymous viewers share one cooldown.
      const name = acceptEmoteCommand(emoteGate, message.author ?? '', message.text, lj.frame.clock.now() / 1000)
      if (name) playEmote(name, 'danmaku')
    },
    [emoteGate, lj, playEmote],
  )
  const onAllowEmote = useCallback((name: string, allowed: boolean) => {
    setAllowedEmotes((prev) => {
      const next = new Set(prev)
      if (allowed) next.add(name)
      else next.delete(name)
      return next
    })
  }, [])
  return { playEmote, emoteGate, onDanmaku, allowedEmotes, onAllowEmote }
}

/**
 * The host's keyboard: keys 1–9 set the expressions bound to them, Shift+1–9 play the emotes in
 * order. Ignored while typing in a form field.
 */
export function useHostKeyboard(host: HostState, setExpression: (preset: string) => void, playEmote: (name: string, source: 'screen') => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return
      // Shift+1–9: emotes (by code: Shift+1 types "!" on most layouts).
      const digit = /^Digit([1-9])$/.exec(e.code)
      if (e.shiftKey && digit) {
        const emote = host.emotes[Number(digit[1]) - 1]
        if (emote) playEmote(emote, 'screen')
        return
      }
      const n = Number.parseInt(e.key, 10)
      const name = n >= 1 && n <= 9 ? host.bindings?.keys[n - 1] : null
      if (name) setExpression(name)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [host, setExpression, playEmote])
}
