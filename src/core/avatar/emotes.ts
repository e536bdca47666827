import { clamp01, smoothstep } from './avatar-math'

/**
 * Emotes of the host (VRM Animation clips played by the scene): which one plays, how far in, and
 * how strongly it shows over the idle (eased in and out so it starts and ends on the idle pose);
 * and danmaku commands (`!wave`) a host allows, rate-limited per viewer and overall. Pure: the
 * caller passes `dt` and the time; nothing here reads a clock.
 */

/** The emotes shipped in assets/animations (made by src/tools/make-vrma.mjs). */
export const EMOTE_NAMES = ['wave', 'bow', 'clap', 'cheer', 'thinking'] as const

/** A shipped emote's name. */
export type EmoteName = (typeof EMOTE_NAMES)[number]

/** Tuning of the emote player. */
export interface EmoteParams {
  /** Seconds to ease from the idle into the emote and back out of it. */
  fade: number
}

/** Default {@link EmoteParams}: a quarter of a second each way. */
export const DEFAULT_EMOTE_PARAMS: Readonly<EmoteParams> = { fade: 0.25 }

/** Player state; mutate only through the functions below. */
export interface EmotePlayer {
  readonly params: EmoteParams
  /** The emote playing, or null (the idle alone). */
  active: string | null
  /** Seconds into the active emote. */
  time: number
  /** Its clip's length, seconds. */
  duration: number
  /** How strongly it shows over the idle, 0..1 (written by {@link updateEmotePlayer}). */
  weight: number
  /** Emotes started since creation (diagnostics and tests). */
  played: number
}

/** Creates a player with nothing playing. */
export function createEmotePlayer(params?: Partial<EmoteParams>): EmotePlayer {
  return { params: { ...DEFAULT_EMOTE_PARAMS, ...params }, active: null, time: 0, duration: 0, weight: 0, played: 0 }
}

/** Starts `name` (a clip `duration` seconds long) from its beginning, replacing any emote playing. */
export function playEmote(player: EmotePlayer, name: string, duration: number): void {
  player.active = name
  player.time = 0
  player.duration = Math.max(0, duration)
  player.played++
}

/** Stops the emote at once (the idle takes over on the next frame). */
export function stopEmote(player: EmotePlayer): void {
  player.active = null
  player.time = 0
  player.weight = 0
}

/**
 * Advances the active emote by `dt` seconds and returns its weight: eased in over the first
 * `fade` seconds, out over the last, 0 once it has ended (then `active` is null).
 */
export function updateEmotePlayer(player: EmotePlayer, dt: number): number {
  if (!player.active) {
    player.weight = 0
    return 0
  }
  player.time += dt > 0 ? dt : 0
  if (player.time >= player.duration) {
    stopEmote(player)
    return 0
  }
  const fade = Math.min(player.params.fade, player.duration / 2)
  const fadeIn = fade > 0 ? smoothstep(0, 1, player.time / fade) : 1
  const fadeOut = fade > 0 ? smoothstep(0, 1, (player.duration - player.time) / fade) : 1
  player.weight = clamp01(Math.min(fadeIn, fadeOut))
  return player.weight
}

// ---------------------------------------------------------------------------------------------
// Danmaku commands
// ---------------------------------------------------------------------------------------------

/** Chinese command words viewers type for the shipped emotes. */
const ALIASES: Readonly<Record<string, EmoteName>> = { 挥手: 'wave', 鞠躬: 'bow', 鼓掌: 'clap', 欢呼: 'cheer', 思考: 'thinking' }

/**
 * The emote a danmaku text asks for: `!wave`, `！wave` (full-width), `!挥手` …, alone on the
 * line, any case; null for anything else (a sentence that merely contains `!wave` is chat).
 */
export function parseEmoteCommand(text: string): string | null {
  const m = /^\s*[!！]\s*([\p{L}\p{N}_-]{1,24})\s*$/u.exec(text)
  if (!m) return null
  const word = m[1].toLowerCase()
  return ALIASES[word] ?? word
}

/** Rate limits of danmaku emote commands. */
export interface EmoteCommandParams {
  /** Seconds after an accepted command before any other is accepted (one emote at a time). */
  globalCooldown: number
  /** Seconds before the same viewer's next command is accepted. */
  viewerCooldown: number
  /** Viewers remembered for their cooldown (oldest forgotten first; bounds memory). */
  maxViewers: number
}

/** Default {@link EmoteCommandParams}: 4 s overall, 20 s per viewer, 512 viewers. */
export const DEFAULT_EMOTE_COMMANDS: Readonly<EmoteCommandParams> = { globalCooldown: 4, viewerCooldown: 20, maxViewers: 512 }

/** Which commands the host allows and who used one when. */
export interface EmoteCommands {
  readonly params: EmoteCommandParams
  /** Emotes the host allows from the audience (the host edits this set). */
  readonly allowed: Set<string>
  /** Time of the last accepted command, seconds, or -Infinity. */
  lastAccepted: number
  readonly lastByViewer: Map<string, number>
  accepted: number
  refused: number
}

/** Creates the command gate with `allowed` emotes enabled. */
export function createEmoteCommands(allowed: Iterable<string>, params?: Partial<EmoteCommandParams>): EmoteCommands {
  return {
    params: { ...DEFAULT_EMOTE_COMMANDS, ...params },
    allowed: new Set(allowed),
    lastAccepted: Number.NEGATIVE_INFINITY,
    lastByViewer: new Map(),
    accepted: 0,
    refused: 0,
  }
}

/**
 * The emote a viewer's danmaku triggers at time `nowS` (seconds), or null: not a command, not
 * allowed by the host, or inside the overall or the viewer's cooldown (then counted as refused).
 */
export function acceptEmoteCommand(gate: EmoteCommands, viewer: string, text: string, nowS: number): string | null {
  const emote = parseEmoteCommand(text)
  if (!emote) return null
  const p = gate.params
  const viewerLast = gate.lastByViewer.get(viewer) ?? Number.NEGATIVE_INFINITY
  if (!gate.allowed.has(emote) || nowS - gate.lastAccepted < p.globalCooldown || nowS - viewerLast < p.viewerCooldown) {
    gate.refused++
    return null
  }
  gate.lastAccepted = nowS
  gate.lastByViewer.delete(viewer)
  gate.lastByViewer.set(viewer, nowS)
  if (gate.lastByViewer.size > p.maxViewers) gate.lastByViewer.delete(gate.lastByViewer.keys().next().value as string)
  gate.accepted++
  return emote
}
