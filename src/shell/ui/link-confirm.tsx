import { useSyncExternalStore } from 'react'
import { linkRequests } from '../../scene/use-link-request'
import { useLang } from '../../scene/use-lang'

const TEXT = {
  title: { zh: '链接要求更改节目内容', en: 'A link wants to change what is shown' },
  accept: { zh: '接受', en: 'Accept' },
  ignore: { zh: '忽略', en: 'Ignore' },
  note: {
    zh: '只有在你信任这个链接的来源时才接受。忽略后不会下载或连接任何内容。',
    en: 'Accept only if you trust whoever sent the link. Ignore downloads and connects nothing.',
  },
}

/** The host's confirm panel for link requests: what the link wants, the address (redacted), Accept / Ignore. */
export function LinkConfirmPanel() {
  const links = linkRequests()
  const pending = useSyncExternalStore(links.subscribe, links.pending)
  const lang = useLang()
  if (pending.length === 0) return null
  return (
    <div className="link-confirm" data-testid="link-confirm" role="dialog" aria-label={TEXT.title[lang]}>
      {pending.map((r) => (
        <div key={r.kind} className="request" data-request={r.kind}>
          <strong>{TEXT.title[lang]}</strong>
          <p>{r.effect[lang]}</p>
          <p className="address">{r.shown}</p>
          <p className="note">{TEXT.note[lang]}</p>
          <div className="actions">
            <button type="button" onClick={() => links.decide(r.kind, true)}>
              {TEXT.accept[lang]}
            </button>
            <button type="button" onClick={() => links.decide(r.kind, false)}>
              {TEXT.ignore[lang]}
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
