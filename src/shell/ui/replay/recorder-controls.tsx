import { useEffect, useState } from 'react'
import { useLingjing } from '../../../scene/lingjing-context'
import { useAppState } from '../../../scene/use-app-state'
import { useLang } from '../../../scene/use-lang'
import { formatClock, rt } from '../../../core/replay/replay-strings'
import { useXRSessionsState } from '../../../scene/replay/use-xr-sessions-state'
import './replay.css'

/** True when a key press belongs to a text field, not to the app. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')
}

/**
 * The DOM side of the recorder, in the overlay's controls: a Record/Stop button while a session
 * runs, the red "● REC 00:12" indicator while recording (with where the take is being saved), and
 * the `R` shortcut. The shortcut is ignored while typing and while IWER's DevUI holds the pointer
 * lock (it maps R to the left thumbstick then).
 */
export function RecorderControls() {
  const { xrSessions, app } = useLingjing()
  const lang = useLang()
  const presenting = useAppState(app, (s) => s.presenting)
  const recorder = useXRSessionsState((s) => s.recorder)
  const replaying = useXRSessionsState((s) => s.replay.status === 'active' || s.replay.status === 'loading')
  const recording = recorder.status === 'recording'
  const [now, setNow] = useState(0)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.code !== 'KeyR' || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return
      if (isTyping(event.target) || document.pointerLockElement) return
      if (!xrSessions.recorder.recording && xrSessions.recordBlocker() !== null) return
      event.preventDefault()
      xrSessions.toggleRecording()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [xrSessions])

  // The timer ticks twice a second while recording (a DOM update, not per frame).
  useEffect(() => {
    if (!recording) return
    setNow(performance.now())
    const id = setInterval(() => setNow(performance.now()), 500)
    return () => clearInterval(id)
  }, [recording])

  if (!presenting && !recording) {
    return recorder.emptyTake ? <span className="rec-note" role="status">{rt('takeEmpty', lang)}</span> : null
  }
  // Recording is off during a replay: no button rather than one that cannot be used.
  if (!recording && replaying) return null
  return (
    <div className="recorder">
      {recording && (
        <span className="rec-indicator" role="status" aria-live="polite" title={rt(recorder.storage === 'memory' ? 'recordingMemoryOnly' : 'recordingSavedLocally', lang)}>
          <span className="rec-dot" aria-hidden="true" />
          {rt('rec', lang).replace('● ', '')} {formatClock(now - recorder.startedAtMs)}
        </span>
      )}
      <button
        type="button"
        className={recording ? 'record recording' : 'record'}
        aria-pressed={recording}
        disabled={recorder.status === 'stopping'}
        title={rt('recordHint', lang)}
        onClick={() => xrSessions.toggleRecording()}
      >
        {recording ? `■ ${rt('stop', lang)}` : `● ${rt('record', lang)}`} <kbd>R</kbd>
      </button>
      {recording && recorder.storage === 'memory' && <span className="rec-note">{rt('recordingMemoryOnly', lang)}</span>}
      {recorder.storageError && (
        <span className="rec-note rec-warning" role="alert">
          {rt('storageError', lang)}
          {recorder.storageError}
        </span>
      )}
    </div>
  )
}
