import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Language } from '../../../core/app/options'
import { storableEndpoint } from '../../../core/broadcast/whip-client'
import type { LiveView, WhipPublisher } from '../../../runtime/broadcast/whip-publisher'
import { LIVE_REASON_STRINGS, LIVE_STATE_STRINGS, lt, retryText } from '../../../core/broadcast/live-strings'

/**
 * localStorage key of the last endpoint, stored without its query (providers put stream keys
 * there) and never with the token: any script on the origin could read them.
 */
const ENDPOINT_KEY = 'lingjing.whip.endpoint'

function initialEndpoint(): string {
  // ?whip=URL prefills the field (a token never goes in a URL: it would end up in history and logs).
  const fromQuery = new URLSearchParams(window.location.search).get('whip')
  if (fromQuery) return fromQuery
  try {
    // An older version stored the endpoint with its query (a stream key): clean what is stored.
    const stored = window.localStorage.getItem(ENDPOINT_KEY) ?? ''
    const clean = storableEndpoint(stored)
    if (clean !== stored) window.localStorage.setItem(ENDPOINT_KEY, clean)
    return clean
  } catch {
    return ''
  }
}

function useLiveView(publisher: WhipPublisher): LiveView {
  return useSyncExternalStore(
    (onChange) => publisher.subscribe(onChange),
    () => publisher.view,
  )
}

/** Re-renders a few times a second while a retry is pending, for its countdown (not per frame). */
function useRetryCountdown(view: LiveView): number | null {
  const [now, setNow] = useState(() => performance.now())
  const pending = view.retryAtMs !== null
  useEffect(() => {
    if (!pending) return
    const timer = window.setInterval(() => setNow(performance.now()), 250)
    return () => window.clearInterval(timer)
  }, [pending])
  if (view.retryAtMs === null) return null
  // `now` may be from before the retry was scheduled: never show more than the delay itself.
  const left = Math.min(view.retryAtMs - now, view.retryDelayMs ?? Infinity)
  return Math.max(0, Math.ceil(left / 1000))
}

/** The live (WHIP) controls inside the broadcast panel: endpoint, token, Go live / Stop, state, bitrate, retries. */
export function LivePanel({ lang, publisher }: { lang: Language; publisher: WhipPublisher | null }) {
  if (!publisher) return null
  return <LiveControls lang={lang} publisher={publisher} />
}

function LiveControls({ lang, publisher }: { lang: Language; publisher: WhipPublisher }) {
  const view = useLiveView(publisher)
  const [endpoint, setEndpoint] = useState(initialEndpoint)
  const [token, setToken] = useState('')
  const retryIn = useRetryCountdown(view)
  const active = view.state !== 'off' && view.state !== 'failed'
  const goLive = () => {
    try {
      window.localStorage.setItem(ENDPOINT_KEY, storableEndpoint(endpoint))
    } catch {
      // Storage refused (private window): the field still holds the URL for this page.
    }
    publisher.start(endpoint, token)
  }
  return (
    <div className="live-panel" data-testid="live-panel" data-state={view.state}>
      <div className="broadcast-label">{lt('title', lang)}</div>
      <label className="live-field">
        {lt('endpoint', lang)}
        <input
          type="url"
          name="whip-endpoint"
          value={endpoint}
          placeholder="https://media.example.net/live/whip"
          disabled={active}
          onChange={(e) => setEndpoint(e.currentTarget.value)}
          spellCheck={false}
          autoComplete="url"
        />
      </label>
      <label className="live-field">
        {lt('token', lang)}
        <input type="password" name="whip-token" value={token} disabled={active} onChange={(e) => setToken(e.currentTarget.value)} autoComplete="off" />
      </label>
      <div className="broadcast-row">
        {active ? (
          <button type="button" onClick={() => void publisher.stop()} disabled={view.state === 'stopping'}>
            {lt('stop', lang)}
          </button>
        ) : (
          <button type="button" className="broadcast-rec" onClick={goLive} disabled={endpoint.trim() === ''}>
            {lt('goLive', lang)}
          </button>
        )}
        <span className={`live-state live-state-${view.state}`} data-testid="live-state" role="status">
          {LIVE_STATE_STRINGS[view.state][lang]}
        </span>
      </div>
      {view.state === 'live' && (
        <div className="live-stats" data-testid="live-bitrate">
          {lt('bitrate', lang)}: {view.bitrateKbps} kbps · {view.audio === 'microphone' ? lt('micAudio', lang) : lt('silentAudio', lang)}
        </div>
      )}
      {(view.reconnects > 0 || retryIn !== null) && (
        <div className="live-stats" data-testid="live-retry">
          {lt('reconnects', lang)}: {view.reconnects}
          {retryIn !== null && ` · ${retryText(lang, view.attempt, retryIn)}`}
        </div>
      )}
      {view.lastError && (
        <p className={view.lastError.fatal ? 'broadcast-error' : 'broadcast-warning'} data-testid="live-error" role={view.lastError.fatal ? 'alert' : undefined}>
          {lt('lastError', lang)}
          {LIVE_REASON_STRINGS[view.lastError.reason][lang]} ({view.lastError.detail})
        </p>
      )}
    </div>
  )
}
