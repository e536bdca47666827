import { useEffect, useState } from 'react'
import type { Language } from '../../../core/app/options'
import { DANMAKU_DEMO_PATH } from '../../../core/broadcast/danmaku'
import type { DanmakuStation, DanmakuView } from '../../../runtime/broadcast/danmaku-station'
import { danmakuQuery } from '../../../scene/broadcast/use-danmaku'
import { dt } from '../../../core/broadcast/danmaku-strings'
import './danmaku.css'

/** Props of {@link DanmakuPanel}. */
export interface DanmakuPanelProps {
  lang: Language
  station: DanmakuStation
  /** The address the field starts with (`?danmaku=`, else the demo feed). */
  initialUrl?: string
}

/**
 * The danmaku part of the broadcast panel: feed address, connect/disconnect, the feed's state,
 * the counters and the on-air toggle. Comments appear as React text nodes only (never markup).
 */
export function DanmakuPanel({ lang, station, initialUrl }: DanmakuPanelProps) {
  const [view, setView] = useState<DanmakuView>(() => station.view())
  const [input, setInput] = useState(() => initialUrl ?? danmakuQuery() ?? DANMAKU_DEMO_PATH)
  const [invalid, setInvalid] = useState(false)
  useEffect(() => {
    setView(station.view())
    return station.subscribe(setView)
  }, [station])
  const { feed } = view
  const live = feed.state === 'connecting' || feed.state === 'open' || feed.state === 'reconnecting'
  const connect = () => {
    const result = station.connect(input)
    setInvalid(!result.ok)
  }
  return (
    <section className="danmaku-panel" data-testid="danmaku-panel" data-state={feed.state}>
      <div className="broadcast-label">{dt('title', lang)}</div>
      <form
        className="danmaku-row"
        onSubmit={(e) => {
          e.preventDefault()
          connect()
        }}
      >
        <input
          type="text"
          aria-label={dt('url', lang)}
          value={input}
          spellCheck={false}
          onChange={(e) => {
            setInput(e.currentTarget.value)
            setInvalid(false)
          }}
        />
        {/* Both plain buttons: had Disconnect turned into a submit button while its own click was
            being handled, the form would submit and connect again. Enter in the field submits. */}
        {live ? (
          <button key="disconnect" type="button" onClick={() => station.disconnect()}>
            {dt('disconnect', lang)}
          </button>
        ) : (
          <button key="connect" type="button" onClick={connect}>
            {dt('connect', lang)}
          </button>
        )}
      </form>
      {invalid && (
        <p role="alert" className="broadcast-error">
          {dt('invalid', lang)}
        </p>
      )}
      <div className="danmaku-row">
        <span>
          {dt('state', lang)}: <strong data-testid="danmaku-state">{dt(feed.state, lang)}</strong>
          {feed.state === 'reconnecting' && feed.retryInMs !== null && ` · ${Math.ceil(feed.retryInMs / 1000)} ${dt('retryIn', lang)}`}
        </span>
        <label className="danmaku-toggle">
          <input type="checkbox" checked={view.onAir} onChange={(e) => station.setOnAir(e.currentTarget.checked)} />
          {dt('onAir', lang)}
        </label>
      </div>
      {feed.state === 'error' && (
        <p role="alert" className="broadcast-error" data-testid="danmaku-error">
          {feed.error === 'refused' ? `${dt('refused', lang)}${feed.detail ?? ''}` : dt('unreachable', lang)} ({feed.url})
        </p>
      )}
      <dl className="danmaku-counts">
        <dt>{dt('shown', lang)}</dt>
        <dd data-testid="danmaku-shown">{view.shown}</dd>
        <dt>{dt('active', lang)}</dt>
        <dd>{view.active}</dd>
        <dt>{dt('droppedRate', lang)}</dt>
        <dd>{view.dropped.rate}</dd>
        <dt>{dt('droppedQueue', lang)}</dt>
        <dd>{view.dropped.queue}</dd>
        <dt>{dt('malformed', lang)}</dt>
        <dd>{view.dropped.malformed}</dd>
        <dt>{dt('truncated', lang)}</dt>
        <dd>{view.truncated}</dd>
      </dl>
      <div className="broadcast-label">{dt('recent', lang)}</div>
      <ul className="danmaku-recent" data-testid="danmaku-recent">
        {view.recent.length === 0 && <li>{dt('none', lang)}</li>}
        {view.recent.map((m, i) => (
          <li key={`${view.received}-${i}`} style={{ color: m.color }}>
            {m.author !== null && <span className="danmaku-author">{m.author}: </span>}
            {m.text}
          </li>
        ))}
      </ul>
    </section>
  )
}
