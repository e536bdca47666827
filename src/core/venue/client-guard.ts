import { createTokenBucket, type TokenBucket } from '../broadcast/danmaku.ts'
import { VENUE_LIMITS } from './protocol.ts'

/** What the guard says about one incoming message. */
export type GuardVerdict = 'ok' | 'flood'

/** Per-client limits on injected time: every message costs one message token and its bytes. */
export interface ClientGuard {
  /** Accounts one received message of `bytes`; 'flood' once either budget is exhausted. */
  admit(nowMs: number, bytes: number): GuardVerdict
  /** True when a pose may be applied now (at most `maxPoseHz`); extra poses are dropped, not fatal. */
  admitPose(nowMs: number): boolean
  /** True when a chat line may be posted now (danmaku rate); extra lines are refused, not fatal. */
  admitChat(nowMs: number): boolean
  /** True when a face (host expressions) may be applied now (at most `maxPoseHz`); extra ones are dropped. */
  admitFace(nowMs: number): boolean
  /** True when a Tianhe item report (a held item's pose, a release's state) may be applied now (at most `maxItemHz`); extra ones are dropped. */
  admitItem(nowMs: number): boolean
}

/** Limits of {@link createClientGuard}; defaults are {@link VENUE_LIMITS}. */
export type ClientGuardLimits = Pick<
  typeof VENUE_LIMITS,
  'messagesPerSecond' | 'messageBurst' | 'bytesPerSecond' | 'byteBurst' | 'maxPoseHz' | 'chatPerSecond' | 'chatBurst'
> &
  Partial<Pick<typeof VENUE_LIMITS, 'maxItemHz'>>

/**
 * Creates the guard one connected client gets. Colyseus 0.16 has no rate limiting of its own
 * (`maxMessagesPerSecond` arrives in 0.17), so the room counts every WebSocket message here.
 */
export function createClientGuard(limits: ClientGuardLimits = VENUE_LIMITS): ClientGuard {
  const messages = createTokenBucket(limits.messagesPerSecond, limits.messageBurst)
  const chat = createTokenBucket(limits.chatPerSecond, limits.chatBurst)
  // A pose "bucket" of burst 2 spreads poses to at most maxPoseHz with a little jitter allowed.
  const poses: TokenBucket = createTokenBucket(limits.maxPoseHz, 2)
  const faces: TokenBucket = createTokenBucket(limits.maxPoseHz, 2)
  // Burst 3: a release right after a periodic report still gets through.
  const items: TokenBucket = createTokenBucket(limits.maxItemHz ?? VENUE_LIMITS.maxItemHz, 3)
  let byteTokens: number = limits.byteBurst
  let lastMs = Number.NaN
  let flooded = false
  return {
    admit(nowMs, bytes) {
      if (flooded) return 'flood'
      if (Number.isNaN(lastMs)) lastMs = nowMs
      if (nowMs > lastMs) {
        byteTokens = Math.min(limits.byteBurst, byteTokens + ((nowMs - lastMs) * limits.bytesPerSecond) / 1000)
        lastMs = nowMs
      }
      byteTokens -= bytes
      if (byteTokens < 0 || !messages.take(nowMs)) flooded = true
      return flooded ? 'flood' : 'ok'
    },
    admitPose: (nowMs) => poses.take(nowMs),
    admitChat: (nowMs) => chat.take(nowMs),
    admitFace: (nowMs) => faces.take(nowMs),
    admitItem: (nowMs) => items.take(nowMs),
  }
}
