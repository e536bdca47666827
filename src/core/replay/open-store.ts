/**
 * Opening a recording store without ever hanging the Record button. `indexedDB.open` can stay
 * pending forever (a tab blocking an upgrade, a wedged browser profile), and private modes refuse
 * it. Both recorders (xr-sessions takes, broadcast media) open their store through this: after
 * `timeoutMs` or a refusal they get the in-memory store and a bilingual message saying a reload
 * would lose what is recorded.
 */
import type { LocalizedMessage } from './replay-error'

/** How long an IndexedDB open may take before the memory store is used instead. */
export const DEFAULT_OPEN_TIMEOUT_MS = 5000

/** Options of {@link openStoreWithFallback}. */
export interface OpenStoreOptions<S> {
  /** Default {@link DEFAULT_OPEN_TIMEOUT_MS}. */
  timeoutMs?: number
  /** Receives a store that opened only after the timeout (close it; the memory one is in use). */
  onLate?(store: S): void
}

/** Result of {@link openStoreWithFallback}: the store to use, and why it is not the persistent one. */
export interface OpenedStore<S> {
  store: S
  /** null: the persistent store opened; 'timeout': it hung; 'refused': it failed (private mode). */
  failure: 'timeout' | 'refused' | null
  /** What to tell the user when `failure` is set. */
  error: LocalizedMessage | null
}

/** Opens the persistent store, or falls back to `fallback()` after a refusal or `timeoutMs`. */
export function openStoreWithFallback<S>(open: () => Promise<S>, fallback: () => S, options: OpenStoreOptions<S> = {}): Promise<OpenedStore<S>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS
  return new Promise((resolve) => {
    let done = false
    const timer = setTimeout(() => {
      if (done) return
      done = true
      const s = Math.round(timeoutMs / 100) / 10
      resolve({
        store: fallback(),
        failure: 'timeout',
        error: {
          en: `Local storage (IndexedDB) did not open within ${s} s, so recordings are kept in memory only: a reload would lose them. Close other tabs of this site and reload to try again.`,
          zh: `本地存储（IndexedDB）在 ${s} 秒内未能打开，录制只保存在内存中：刷新页面会丢失。请关闭本站的其他标签页后刷新重试。`,
        },
      })
    }, timeoutMs)
    let opening: Promise<S>
    try {
      opening = open()
    } catch (err) {
      opening = Promise.reject(err)
    }
    opening.then(
      (store) => {
        if (done) {
          options.onLate?.(store)
          return
        }
        done = true
        clearTimeout(timer)
        resolve({ store, failure: null, error: null })
      },
      (err: unknown) => {
        if (done) return
        done = true
        clearTimeout(timer)
        const detail = err instanceof Error ? err.message : String(err)
        resolve({
          store: fallback(),
          failure: 'refused',
          error: {
            en: `This browser refused local storage (${detail}), as private windows do, so recordings are kept in memory only: a reload would lose them. Download each take before leaving.`,
            zh: `此浏览器拒绝了本地存储（${detail}），隐私窗口通常如此，录制只保存在内存中：刷新页面会丢失。离开前请下载每段录制。`,
          },
        })
      },
    )
  })
}

/** How long a slow open goes unreported: on a loaded machine IndexedDB can take longer than the fallback's timeout and still open. */
export const DEFAULT_WARN_AFTER_MS = 20_000

/** Options of {@link openStorePatiently}. */
export interface PatientOpenOptions<S> {
  /** When the memory store takes over (default {@link DEFAULT_OPEN_TIMEOUT_MS}). */
  timeoutMs?: number
  /** When a still-pending open is reported (default {@link DEFAULT_WARN_AFTER_MS}); a refusal is reported at once. */
  warnAfterMs?: number
  /**
   * Offered the persistent store when it opens after the timeout. Returns true when it took it
   * (nothing was recorded into memory yet); false leaves the memory store in use.
   */
  adopt(store: S): boolean | Promise<boolean>
  /** Shows the user that recordings are kept in memory only. */
  warn(error: LocalizedMessage, failure: 'timeout' | 'refused'): void
  /** Takes the warning back: the persistent store was adopted after it was shown. */
  withdraw?(): void
}

/** What {@link openStorePatiently} resolves to. */
export interface PatientOpen<S> {
  /** The persistent store, or the memory one while it is pending or refused. */
  store: S
  failure: 'timeout' | 'refused' | null
  /** Reports a pending warning now (a take starts in memory); nothing once shown or adopted. */
  warnNow(): void
  /** Stops waiting: no warning and no adoption after this. */
  dispose(): void
}

/**
 * Opens the persistent store like {@link openStoreWithFallback}, but treats a slow open as slow,
 * not failed: the memory store serves in the meantime (so Record never waits), the warning waits
 * until a take starts in memory or `warnAfterMs` passes, and a store that opens late is adopted
 * while memory still holds nothing, with any warning withdrawn.
 */
export async function openStorePatiently<S>(open: () => Promise<S>, fallback: () => S, options: PatientOpenOptions<S>): Promise<PatientOpen<S>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS
  let pending: LocalizedMessage | null = null
  let warned = false
  let settled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const warnNow = () => {
    clearTimeout(timer)
    if (settled || !pending || warned) return
    warned = true
    options.warn(pending, 'timeout')
  }
  const opened = await openStoreWithFallback(open, fallback, {
    timeoutMs,
    onLate: (store) => {
      if (settled) return
      void Promise.resolve(options.adopt(store)).then((taken) => {
        if (!taken || settled) return
        settled = true
        clearTimeout(timer)
        if (warned) options.withdraw?.()
      })
    },
  })
  if (opened.failure === 'refused' && opened.error) {
    // A refusal is final (private mode): say so now.
    settled = true
    options.warn(opened.error, 'refused')
  } else if (opened.failure === 'timeout' && opened.error) {
    pending = opened.error
    timer = setTimeout(warnNow, Math.max(0, (options.warnAfterMs ?? DEFAULT_WARN_AFTER_MS) - timeoutMs))
  } else {
    settled = true
  }
  return {
    store: opened.store,
    failure: opened.failure,
    warnNow,
    dispose() {
      settled = true
      clearTimeout(timer)
    },
  }
}
