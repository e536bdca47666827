import { useEffect, useState } from 'react'
import { TRANSITIONS } from '../../../core/broadcast/switcher'
import type { RecorderView } from '../../../runtime/broadcast/broadcast-recorder'
import { PROGRAMME_PRESETS, type ProgrammePreset } from '../../../runtime/broadcast/programme-output'
import { CollapsiblePanel, useDomPanelRoot } from '../../../scene/dom/dom-panel'
import { bt, formatBytes, formatClock } from '../../../core/broadcast/broadcast-strings'
import { LivePanel } from './live-panel'
import { DanmakuPanel } from './danmaku-panel'
import type { BroadcastPanelModel } from '../../../scene/broadcast/broadcast-panel-model'
import './broadcast.css'

function canShare(file: File): boolean {
  return typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] })
}

function TakeRow({ model, take }: { model: BroadcastPanelModel; take: RecorderView['takes'][number] }) {
  const { lang, recorder } = model
  const [url, setUrl] = useState<string | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const [complete, setComplete] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [playError, setPlayError] = useState<'nothingReadable' | 'playFailed' | null>(null)
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url])
  const load = async () => {
    if (!recorder) return null
    const { blob, info, complete: whole } = await recorder.loadTake(take.id)
    // An empty file would give a player that never loads: say so instead.
    setPlayError(blob.size === 0 ? 'nothingReadable' : null)
    const f = new File([blob], `${info.name}.${info.extension}`, { type: blob.type })
    setFile(f)
    setComplete(whole)
    const u = URL.createObjectURL(f)
    setUrl(u)
    return { file: f, url: u }
  }
  const download = async () => {
    const got = url && file ? { file, url } : await load()
    if (!got) return
    const a = document.createElement('a')
    a.href = got.url
    a.download = got.file.name
    a.click()
  }
  const share = async () => {
    try {
      const got = file ? { file } : await load()
      if (got) await navigator.share({ files: [got.file], title: got.file.name })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return
      setError(err instanceof Error ? err.message : String(err))
    }
  }
  return (
    <li className="broadcast-take" data-take={take.id} data-recovered={take.recovered ? 'true' : 'false'} data-empty={take.empty ? 'true' : 'false'}>
      <div>
        <strong>{take.name}</strong> · {formatClock(take.durationMs)} · {formatBytes(take.bytes)}
        {take.recovered && <span className="broadcast-recovered"> · {bt('recovered', lang)}</span>}
        {!complete && <span> {bt('incomplete', lang)}</span>}
      </div>
      {take.empty && <p className="broadcast-empty">{bt('emptyTake', lang)}</p>}
      <div className="broadcast-actions">
        {!take.empty && (
          <>
            <button type="button" onClick={() => void load()}>
              {bt('play', lang)}
            </button>
            <button type="button" onClick={() => void download()}>
              {bt('download', lang)}
            </button>
            {(!file || canShare(file)) && typeof navigator.share === 'function' && (
              <button type="button" onClick={() => void share()}>
                {bt('share', lang)}
              </button>
            )}
          </>
        )}
        <button type="button" onClick={() => void recorder?.deleteTake(take.id)}>
          {bt('delete', lang)}
        </button>
      </div>
      {error && (
        <p role="alert" className="broadcast-error">
          {bt('shareFailed', lang)}
          {error}
        </p>
      )}
      {playError && (
        <p role="alert" className="broadcast-error" data-testid="broadcast-play-error">
          {bt(playError, lang)}
        </p>
      )}
      {url && !playError && (
        <div className="broadcast-player">
          <video data-testid="broadcast-player" src={url} controls playsInline onError={() => setPlayError('playFailed')} />
          <button type="button" onClick={() => setUrl(null)}>
            {bt('close', lang)}
          </button>
        </div>
      )}
    </li>
  )
}

function RecordControls({ model }: { model: BroadcastPanelModel }) {
  const { lang, recorder, recording: r } = model
  if (!recorder || !r) return null
  const state = r.state
  return (
    <div className="broadcast-record">
      {state === 'idle' && (
        <button type="button" className="broadcast-rec" onClick={() => recorder.start()}>
          {bt('record', lang)}
        </button>
      )}
      {state === 'countdown' && (
        <>
          <span className="broadcast-countdown" aria-live="assertive">
            {bt('countdown', lang)} {r.countdown}
          </span>
          <button type="button" onClick={() => void recorder.stop()}>
            {bt('cancel', lang)}
          </button>
        </>
      )}
      {state === 'recording' && (
        <>
          <span className="broadcast-live-pill">
            ● {bt('recording', lang)} {formatClock(r.elapsedMs)} · {formatBytes(r.bytes)}
          </span>
          <button type="button" onClick={() => void recorder.stop()}>
            {bt('stop', lang)}
          </button>
        </>
      )}
      {state === 'stopping' && <span>{bt('stopping', lang)}</span>}
      {state === 'unsupported' && <span>{bt('unsupported', lang)}</span>}
      {state === 'recording' && <small>{r.withAudio ? bt('withMic', lang) : bt('noMic', lang)}</small>}
      {/* The programme does not depend on the headset view, so leaving VR does not end the take. */}
      {state === 'recording' && <small className="broadcast-keeps-recording">{bt('keepsRecording', lang)}</small>}
      {r.storage === 'low' && (
        <p role="status" className="broadcast-warning">
          {bt('storageLow', lang)} {Math.floor(r.secondsLeft / 60)} min {bt('storageLowTail', lang)}
        </p>
      )}
      {r.storeKind === 'memory' && <p className="broadcast-warning">{bt('memoryOnly', lang)}</p>}
    </div>
  )
}

/** The DOM broadcast panel (flat screens and the emulator): cameras, transitions, recording, takes. */
function BroadcastPanel({ model }: { model: BroadcastPanelModel }) {
  const { lang } = model
  return (
    <CollapsiblePanel id="broadcast" title={bt('title', lang)} className="broadcast-panel" testId="broadcast-panel">
      <div className="broadcast-label">{bt('cameras', lang)}</div>
      <div className="broadcast-cameras">
        {model.cameras.map((c, i) => (
          <button
            key={c.id}
            type="button"
            data-camera={c.id}
            className={c.id === model.programme ? 'on-air' : c.id === model.preview ? 'in-preview' : ''}
            aria-pressed={c.id === model.programme}
            onClick={(e) => (e.shiftKey ? model.onPreview(c.id) : model.onTake(c.id))}
          >
            F{i + 1} {c.label[lang]}
          </button>
        ))}
      </div>
      <div className="broadcast-row">
        <span>{bt('transition', lang)}:</span>
        {TRANSITIONS.map((k) => (
          <button key={k} type="button" aria-pressed={model.transition === k} className={model.transition === k ? 'selected' : ''} onClick={() => model.onTransition(k)}>
            {bt(k, lang)}
          </button>
        ))}
        <button type="button" onClick={model.onAuto}>
          {bt('auto', lang)}
        </button>
      </div>
      <label className="broadcast-row">
        {bt('quality', lang)}:
        <select
          value={model.preset}
          disabled={model.recording?.state === 'recording' || model.recording?.state === 'countdown' || model.liveState !== 'off'}
          onChange={(e) => model.onPreset(e.currentTarget.value as ProgrammePreset)}
        >
          {Object.keys(PROGRAMME_PRESETS).map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <RecordControls model={model} />
      <LivePanel lang={lang} publisher={model.publisher} />
      {model.danmaku && <DanmakuPanel lang={lang} station={model.danmaku} />}
      <div className="broadcast-label">{bt('takes', lang)}</div>
      <ul className="broadcast-takes">
        {(model.recording?.takes.length ?? 0) === 0 && <li>{bt('noTakes', lang)}</li>}
        {model.recording?.takes.map((t) => (
          <TakeRow key={t.id} model={model} take={t} />
        ))}
      </ul>
    </CollapsiblePanel>
  )
}

/** Mounts the DOM broadcast panel next to the canvas; re-rendered on events, never per frame. */
export function useDomBroadcastPanel(model: BroadcastPanelModel): void {
  useDomPanelRoot('broadcast-panel-host', <BroadcastPanel model={model} />)
}
