/**
 * Query options that change what the host shows (`?avatar=` swaps the presenter's avatar,
 * `?danmaku=` puts a feed's comments on air) come from a link, and a link can come from anyone.
 * They wait here until the host accepts them: nothing is downloaded or connected before that.
 * One store per page, so a remount of the experience does not ask again or forget the answer.
 */
import { redactUrl } from '../broadcast/redact-url'
import type { Bilingual } from '../i18n/strings'

/** The query options that need the host's consent. */
export type LinkRequestKind = 'avatar' | 'danmaku'

/** One such option from the link. */
export interface LinkRequest {
  kind: LinkRequestKind
  /** The value as given (used only once accepted). */
  value: string
  /** The value fit to show: credentials and secret-looking query values masked (`redactUrl`). */
  shown: string
  /** What accepting does, in both languages. */
  effect: Bilingual
  /** null while undecided. */
  decision: 'accepted' | 'ignored' | null
  /** True once a part of the page that would use it is mounted (only then is the host asked). */
  wanted: boolean
}

/** The store; see the file header. */
export interface LinkRequests {
  /** Requests a mounted part wants and the host has not decided yet, in query order. */
  pending(): readonly LinkRequest[]
  /** The accepted value of `kind`, or null (absent, undecided or ignored). */
  accepted(kind: LinkRequestKind): string | null
  /** A part of the page that would use `kind` is mounted: the host is asked now. */
  want(kind: LinkRequestKind): void
  /** The host's answer. */
  decide(kind: LinkRequestKind, accept: boolean): void
  /** Calls `listener` on any change; returns unsubscribe. */
  subscribe(listener: () => void): () => void
}

const EFFECT: Record<LinkRequestKind, Bilingual> = {
  avatar: {
    zh: '这个链接要把主播的虚拟形象换成下面地址的文件。',
    en: "This link wants to replace the host's avatar with the file at the address below.",
  },
  danmaku: {
    zh: '这个链接要连接下面的弹幕源，并把它的弹幕放进节目画面。',
    en: 'This link wants to connect the danmaku feed below and put its comments on air.',
  },
}

/** In the order the host is asked. */
const KINDS: readonly LinkRequestKind[] = ['avatar', 'danmaku']

/** Reads the consent-needing options from a query string (`window.location.search`). */
export function createLinkRequests(search: string): LinkRequests {
  const params = new URLSearchParams(search)
  const requests: LinkRequest[] = []
  for (const kind of KINDS) {
    const value = params.get(kind)
    if (value === null || value.trim() === '') continue
    requests.push({ kind, value, shown: redactUrl(value, 'secrets'), effect: EFFECT[kind], decision: null, wanted: false })
  }
  const listeners = new Set<() => void>()
  let pendingCache: readonly LinkRequest[] = []
  const changed = () => {
    // A new array only on change, so React's useSyncExternalStore sees a stable snapshot.
    pendingCache = requests.filter((r) => r.wanted && r.decision === null)
    for (const listener of listeners) listener()
  }
  const find = (kind: LinkRequestKind) => requests.find((r) => r.kind === kind)
  return {
    pending: () => pendingCache,
    accepted(kind) {
      const r = find(kind)
      return r && r.decision === 'accepted' ? r.value : null
    },
    want(kind) {
      const r = find(kind)
      if (!r || r.wanted) return
      r.wanted = true
      changed()
    },
    decide(kind, accept) {
      const r = find(kind)
      if (!r || r.decision !== null) return
      r.decision = accept ? 'accepted' : 'ignored'
      changed()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
