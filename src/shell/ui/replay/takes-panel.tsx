import { useState } from 'react'
import { createPortal } from 'react-dom'
import { useLingjing } from '../../../scene/lingjing-context'
import type { PendingTake } from '../../../runtime/replay/xr-sessions-service'
import { useLang } from '../../../scene/use-lang'
import { formatSeconds, rt } from '../../../core/replay/replay-strings'
import { useXRSessionsState } from '../../../scene/replay/use-xr-sessions-state'
import './replay.css'

function TakeCard({ take }: { take: PendingTake }) {
  const { xrSessions } = useLingjing()
  const lang = useLang()
  const [shareError, setShareError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // A recovered take that cannot be rebuilt is damaged: it can only be deleted or downloaded raw.
  const damaged = !take.recording && take.origin === 'recovered'
  const title = take.recording ? rt(take.origin === 'recovered' ? 'takeRecovered' : 'takeFinished', lang) : rt(damaged ? 'takeDamaged' : 'takeBroken', lang)
  const when = new Date(take.recordedAt)
  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    try {
      await action()
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="take" data-take={take.id} data-origin={take.origin} data-damaged={damaged ? 'true' : undefined} aria-label={title}>
      <strong>{title}</strong>
      <p>
        {take.part > 1 && `${rt('part', lang)} ${take.part} · `}
        {take.experience} · {take.frames} {rt('frames', lang)} · {formatSeconds(take.durationMs, lang)} ·{' '}
        {Number.isNaN(when.getTime()) ? take.recordedAt : when.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}
        <br />
        <small>
          {rt('device', lang)}: {take.device}
        </small>
      </p>
      {take.error && <p className="take-error">{take.error[lang]}</p>}
      {take.damage && (
        <p className="take-error">
          {rt('takeCutShort', lang)}
          {take.damage[lang]}
        </p>
      )}
      {take.saved && <p className="take-saved">✓ {rt('saved', lang)}</p>}
      {shareError && (
        <p className="take-error" role="alert">
          {rt('shareFailed', lang)}
          {shareError}
        </p>
      )}
      <div className="actions">
        {take.recording && (
          <button type="button" disabled={busy} onClick={() => void run(() => xrSessions.saveTake(take.id))}>
            {rt(take.saved ? 'downloadAgain' : 'download', lang)}
          </button>
        )}
        {take.recording && xrSessions.canShareFiles() && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(() =>
                xrSessions.shareTake(take.id).catch((error: unknown) => {
                  // The user closing the share sheet is not an error worth showing.
                  if (error instanceof DOMException && error.name === 'AbortError') return
                  setShareError(error instanceof Error ? error.message : String(error))
                }),
              )
            }
          >
            {rt('share', lang)}
          </button>
        )}
        {damaged && (
          <button type="button" disabled={busy} onClick={() => void run(() => xrSessions.downloadRawTake(take.id))}>
            {rt('downloadRaw', lang)}
          </button>
        )}
        {take.saved ? (
          <button type="button" onClick={() => xrSessions.dismissTake(take.id)}>
            {rt('close', lang)}
          </button>
        ) : (
          <button type="button" className="danger" disabled={busy} onClick={() => void run(() => xrSessions.discardTake(take.id))}>
            {rt(damaged ? 'deleteTake' : 'discard', lang)}
          </button>
        )}
      </div>
    </section>
  )
}

/**
 * Takes waiting for a decision: one just recorded, or one found in storage at start (an
 * interrupted or unsaved recording). Each can be saved (download, or Web Share where the browser
 * shares files) or discarded; a take is deleted from storage only once saved or discarded.
 */
export function TakesPanel() {
  const lang = useLang()
  const takes = useXRSessionsState((s) => s.takes)
  if (takes.length === 0) return null
  return createPortal(
    <div className="takes" role="region" aria-label={rt('takesLabel', lang)}>
      {takes.map((take) => (
        <TakeCard key={take.id} take={take} />
      ))}
    </div>,
    document.body,
  )
}
