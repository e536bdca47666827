import { useEffect, useId, useState } from 'react'
import { createPortal } from 'react-dom'
import type { ReplayPhase } from '../../../core/replay/replay-driver'
import { useLingjing } from '../../../scene/lingjing-context'
import { useLang } from '../../../scene/use-lang'
import { formatSeconds, rt, type ReplayStringKey } from '../../../core/replay/replay-strings'
import { useXRSessionsState } from '../../../scene/replay/use-xr-sessions-state'
import './replay.css'

const SPEEDS = [0.25, 0.5, 1, 2, 4] as const

const PHASE_TEXT: Partial<Record<ReplayPhase, ReplayStringKey>> = {
  waiting: 'replayWaitingSession',
  holding: 'replayHolding',
  ended: 'replayEnded',
}

/** Playback position, polled (10 Hz) while a replay is active: the DOM never updates per frame. */
function useProgress(active: boolean) {
  const { xrSessions } = useLingjing()
  const read = () => {
    const driver = xrSessions.replay
    return driver
      ? { frame: Math.max(0, driver.frame), positionMs: driver.player.positionMs, playing: driver.player.playing, speed: driver.player.speed, phase: driver.phase }
      : { frame: 0, positionMs: 0, playing: false, speed: 1, phase: 'waiting' as ReplayPhase }
  }
  const [progress, setProgress] = useState(read)
  useEffect(() => {
    if (!active) return
    const id = setInterval(() => setProgress(read()), 100)
    return () => clearInterval(id)
    // read() only closes over the service.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, xrSessions])
  return [progress, () => setProgress(read())] as const
}

/**
 * The desktop preview's replay UI. Closed, it is a "Replay a recording…" button in the overlay;
 * open (or whenever `?replay=` is loading, playing or failed) it is a timeline: play, pause, step,
 * seek, speed, a file picker to load another recording, and the validator's specific message when a
 * file is refused. Deterministic replays show progress only: their pace is one frame per app frame.
 */
export function ReplayPanel() {
  const { xrSessions, support } = useLingjing()
  const lang = useLang()
  const replay = useXRSessionsState((s) => s.replay)
  const [open, setOpen] = useState(false)
  const active = replay.status === 'active'
  const [progress, refresh] = useProgress(active)
  const fileId = useId()

  if (!support.emulated && replay.status === 'none') return null
  if (!open && replay.status === 'none') {
    return (
      <button type="button" className="replay-open" onClick={() => setOpen(true)}>
        ▶ {rt('replayOpen', lang)}
      </button>
    )
  }

  const realtime = active && replay.mode === 'realtime'
  const driver = xrSessions.replay
  const act = (f: () => void) => () => {
    f()
    refresh()
  }
  const close = () => {
    if (replay.status !== 'none') xrSessions.endReplay()
    setOpen(false)
  }
  const phaseText = active ? PHASE_TEXT[progress.phase] : undefined

  return createPortal(
    <section className="replay-panel" role="region" aria-label={rt('replayTitle', lang)} data-status={replay.status}>
      <header>
        <strong>{rt('replayTitle', lang)}</strong>
        {replay.status !== 'none' && <span className="replay-name">{replay.name}</span>}
        {active && <span className="replay-mode">{replay.mode === 'deterministic' ? 'deterministic' : 'realtime'}</span>}
        <button type="button" className="replay-close" onClick={close} aria-label={rt(active ? 'closeReplay' : 'close', lang)}>
          {active ? rt('closeReplay', lang) : '✕'}
        </button>
      </header>

      {replay.status === 'loading' && <p role="status">{rt('replayLoading', lang)}…</p>}

      {replay.status === 'error' && (
        <div className="replay-error" role="alert">
          <p>
            <strong>{rt('replayFailed', lang)}</strong>
            {replay.error.message[lang]}
          </p>
          {replay.error.path && <code>{replay.error.path}</code>}
          {replay.error.retryable && (
            // A failed module import stays failed in this page: only a reload fetches it again.
            <button type="button" onClick={() => window.location.reload()}>
              {rt('retryReplay', lang)}
            </button>
          )}
        </div>
      )}

      {active && replay.refused && (
        <div className="replay-error" role="alert" data-refused={replay.refused.name}>
          <p>
            <strong>{rt('replayRefusedKeepsPlaying', lang)}</strong>
            {replay.refused.name}: {replay.refused.error.message[lang]}
          </p>
          {replay.refused.error.path && <code>{replay.refused.error.path}</code>}
        </div>
      )}

      {active && (
        <>
          <p className="replay-meta">
            {replay.meta.experience} · {replay.meta.device}
            {replay.meta.synthetic ? ` · ${rt('synthetic', lang)}` : ''} · {replay.frameCount} {rt('frames', lang)} · {formatSeconds(replay.durationMs, lang)}
          </p>
          {replay.mode === 'deterministic' && <p className="replay-note">{rt('replayDeterministic', lang)}</p>}
          {phaseText && (
            <p className="replay-phase" role="status">
              {rt(phaseText, lang)}
            </p>
          )}
          <div className="timeline">
            <button type="button" disabled={!realtime} aria-label={rt('stepBack', lang)} title={rt('stepBack', lang)} onClick={act(() => driver?.step(-1))}>
              ◀ −1
            </button>
            <button
              type="button"
              disabled={!realtime}
              className="play"
              aria-label={rt(progress.playing ? 'pause' : 'play', lang)}
              onClick={act(() => (progress.playing ? driver?.pause() : driver?.play()))}
            >
              {progress.playing ? `‖ ${rt('pause', lang)}` : `▶ ${rt('play', lang)}`}
            </button>
            <button type="button" disabled={!realtime} aria-label={rt('stepForward', lang)} title={rt('stepForward', lang)} onClick={act(() => driver?.step(1))}>
              +1 ▶
            </button>
            <input
              type="range"
              min={0}
              max={Math.max(0, replay.frameCount - 1)}
              step={1}
              value={progress.frame}
              disabled={!realtime}
              aria-label={rt('seek', lang)}
              onChange={(event) => {
                driver?.seek(Number(event.target.value))
                refresh()
              }}
            />
            <span className="replay-time">
              {rt('frame', lang)} {progress.frame + 1}/{replay.frameCount} · {formatSeconds(progress.positionMs, lang)}
            </span>
            <label className="replay-speed">
              {rt('speed', lang)}
              <select
                value={String(progress.speed)}
                disabled={!realtime}
                onChange={(event) => {
                  driver?.setSpeed(Number(event.target.value))
                  refresh()
                }}
              >
                {SPEEDS.map((s) => (
                  <option key={s} value={String(s)}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
          </div>
        </>
      )}

      <div className="replay-file">
        <label htmlFor={fileId}>{rt('chooseFile', lang)}</label>
        <input
          id={fileId}
          type="file"
          accept=".json,application/json"
          onChange={(event) => {
            const file = event.target.files?.[0]
            event.target.value = ''
            if (file) void xrSessions.loadReplayFile(file)
          }}
        />
      </div>
    </section>,
    document.body,
  )
}
