/**
 * Which takes are being recorded right now, in this tab or another tab of the same origin. Two tabs
 * share one IndexedDB: without this, tab B would find tab A's take still marked `recording`, offer
 * it as "recovered" and let Delete remove chunks A is still writing. A recording tab holds one Web
 * Lock per take (`lingjing-take:<namespace>:<id>`) for as long as it writes; the browser drops the
 * lock when that tab closes or crashes, so an interrupted take is free to recover and a live one is
 * not. Where Web Locks are missing, tabs announce their live takes on a BroadcastChannel (a
 * heartbeat, and an answer to every question). The lock API, the channel and the clock are
 * injected, so the decisions are unit-tested in Node.
 */

/** The part of `navigator.locks` (Web Locks API) the guard uses. */
export interface LockManagerLike {
  /**
   * Runs `callback` while holding the exclusive lock `name`; with `ifAvailable`, calls it at once
   * with null when the lock is held elsewhere. The lock lasts until the callback's promise settles.
   */
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => T | Promise<T>): Promise<T>
}

/** The part of a BroadcastChannel the fallback uses. */
export interface ChannelLike {
  postMessage(message: unknown): void
  onmessage: ((event: MessageEvent) => void) | null
  close(): void
}

/** Options of {@link createLiveTakeGuard}. */
export interface LiveTakeGuardOptions {
  /** Which takes: 'xr-sessions' or 'broadcast' (separate databases, separate names). */
  namespace: string
  /** `navigator.locks`, or null where the browser has none. */
  locks?: LockManagerLike | null
  /** The fallback channel when `locks` is null (one per namespace), or null. */
  channel?: ChannelLike | null
  /** Monotonic ms clock for heartbeat freshness (the channel fallback only). */
  now?: () => number
  /** Heartbeat period of the channel fallback, ms (default 1000). */
  heartbeatMs?: number
}

/** The guard; see the file header. */
export interface LiveTakeGuard {
  /** 'web-locks', 'broadcast-channel' (fallback), or 'none' (only this tab's takes are known). */
  readonly mechanism: 'web-locks' | 'broadcast-channel' | 'none'
  /** Marks a take as being recorded by this tab; resolves once other tabs can see it. */
  hold(takeId: string): Promise<void>
  /** Ends {@link hold} (the take stopped); no-op for a take not held. */
  release(takeId: string): void
  /** True when this tab or another one is recording the take now: do not recover or delete it. */
  isLive(takeId: string): Promise<boolean>
  /** Releases everything and stops the heartbeat. */
  dispose(): void
}

/** Message of the channel fallback: a tab's live takes (heartbeat / answer) or a question. */
type ChannelMessage = { kind: 'lingjing-live'; ns: string; sender: string; ids: string[] } | { kind: 'lingjing-live?'; ns: string }

const isMessage = (data: unknown): data is ChannelMessage =>
  data !== null && typeof data === 'object' && ((data as { kind?: unknown }).kind === 'lingjing-live' || (data as { kind?: unknown }).kind === 'lingjing-live?')

let senderCount = 0

/** Creates the guard; prefers Web Locks, then the channel, else knows only this tab's takes. */
export function createLiveTakeGuard(options: LiveTakeGuardOptions): LiveTakeGuard {
  const ns = options.namespace
  const locks = options.locks ?? null
  const channel = locks ? null : (options.channel ?? null)
  const now = options.now ?? (() => 0)
  const heartbeatMs = options.heartbeatMs ?? 1000
  // A sighting older than this is stale (the other tab stopped or died between heartbeats).
  const staleMs = heartbeatMs * 2.5
  const lockName = (id: string) => `lingjing-take:${ns}:${id}`
  const held = new Map<string, () => void>()

  // --- channel fallback ---------------------------------------------------------------------
  const sender = `${ns}-${++senderCount}-${Math.round(now())}`
  const seen = new Map<string, { ids: string[]; at: number }>()
  let heartbeat: ReturnType<typeof setInterval> | null = null
  const announce = () => channel?.postMessage({ kind: 'lingjing-live', ns, sender, ids: [...held.keys()] } satisfies ChannelMessage)
  if (channel) {
    channel.onmessage = (event) => {
      const data = event.data
      if (!isMessage(data) || data.ns !== ns) return
      if (data.kind === 'lingjing-live?') {
        if (held.size > 0) announce()
      } else if (data.sender !== sender) {
        seen.set(data.sender, { ids: data.ids.slice(), at: now() })
      }
    }
  }
  const seenLive = (id: string) => {
    const t = now()
    for (const s of seen.values()) if (t - s.at <= staleMs && s.ids.includes(id)) return true
    return false
  }

  return {
    mechanism: locks ? 'web-locks' : channel ? 'broadcast-channel' : 'none',
    async hold(takeId) {
      if (held.has(takeId)) return
      if (locks) {
        await new Promise<void>((granted) => {
          void locks
            .request(lockName(takeId), {}, () => {
              granted()
              // Held until release(): the promise settles when the take stops.
              return new Promise<void>((resolve) => held.set(takeId, resolve))
            })
            .catch(() => granted())
        })
        return
      }
      held.set(takeId, () => undefined)
      if (channel) {
        announce()
        heartbeat ??= setInterval(announce, heartbeatMs)
      }
    },
    release(takeId) {
      const done = held.get(takeId)
      if (!done) return
      held.delete(takeId)
      done()
      if (channel) {
        announce()
        if (held.size === 0 && heartbeat !== null) {
          clearInterval(heartbeat)
          heartbeat = null
        }
      }
    },
    async isLive(takeId) {
      if (held.has(takeId)) return true
      if (locks) {
        // Held elsewhere: the callback gets null. Free: it briefly holds and returns at once.
        return locks.request(lockName(takeId), { ifAvailable: true }, (lock) => lock === null)
      }
      if (!channel) return false
      if (seenLive(takeId)) return true
      // Ask, and wait long enough for a busy tab's heartbeat to arrive as well.
      channel.postMessage({ kind: 'lingjing-live?', ns } satisfies ChannelMessage)
      await new Promise((resolve) => setTimeout(resolve, heartbeatMs * 1.5))
      return seenLive(takeId)
    },
    dispose() {
      for (const id of [...held.keys()]) this.release(id)
      if (heartbeat !== null) clearInterval(heartbeat)
      heartbeat = null
      if (channel) {
        channel.onmessage = null
        channel.close()
      }
    },
  }
}

/**
 * Deletes a stored take unless a tab is recording it right now (its chunks are still being
 * written). Resolves true when deleted, false when refused because the take is live.
 */
export async function deleteTakeUnlessLive(store: { deleteTake(takeId: string): Promise<void> }, guard: Pick<LiveTakeGuard, 'isLive'>, takeId: string): Promise<boolean> {
  if (await guard.isLive(takeId)) return false
  await store.deleteTake(takeId)
  return true
}
