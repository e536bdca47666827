import { useEffect, useState, type FormEvent } from 'react'
import { VENUE_LIMITS } from '../../core/venue/protocol'
import { splitGraphemes } from '../../core/broadcast/danmaku'
import { useVenue } from '../../scene/venue/venue-context'
import { useLang } from '../../scene/use-lang'

/** Bilingual text of the chat box. */
const TEXT = {
  label: { zh: '发弹幕', en: 'Comment' },
  placeholder: { zh: '说点什么，会作为弹幕上屏…', en: 'Say something: it goes on air as danmaku…' },
  send: { zh: '发送', en: 'Send' },
  'chat-rate': { zh: '发得太快了：每秒最多一条，请稍等再发。', en: 'Too fast: at most one comment a second. Wait a moment and send again.' },
  'chat-empty': { zh: '这条评论没有可显示的文字，请换一句。', en: 'That comment has nothing that can be shown. Try other words.' },
  refused: { zh: '服务器没有接受这条评论。', en: 'The server did not accept that comment.' },
} as const

/**
 * The livestream audience's chat box: a line of text that the server relays to the room, where it
 * becomes danmaku on the programme. Shown only to the audience while the room is online. Input is
 * cut to the danmaku length here; the server sanitises and rate limits again (and says why it
 * refused a line, which is shown here in the visitor's language).
 */
export function VenueChat() {
  const venue = useVenue()
  const lang = useLang()
  const [audience, setAudience] = useState(false)
  const [text, setText] = useState('')
  const [notice, setNotice] = useState<keyof typeof TEXT | null>(null)

  useEffect(() => {
    if (!venue) return
    const c = venue.connection
    const update = () => setAudience(c.state === 'online' && c.snapshot().room === 'livestream' && c.snapshot().role === 'audience')
    update()
    const offPeers = venue.onPeersChanged(update)
    const offRefused = c.onRefused((reason) => {
      if (reason.startsWith('chat')) setNotice(reason in TEXT ? (reason as keyof typeof TEXT) : 'refused')
    })
    return () => {
      offPeers()
      offRefused()
    }
  }, [venue])

  if (!venue || !audience) return null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const line = text.trim()
    if (!line) return
    venue.connection.sendChat(line)
    setText('')
    setNotice(null)
  }
  return (
    <form className="venue-chat" onSubmit={submit} aria-label={TEXT.label[lang]}>
      <label>
        <span>{TEXT.label[lang]}</span>
        <input
          value={text}
          maxLength={VENUE_LIMITS.maxRawText}
          placeholder={TEXT.placeholder[lang]}
          onChange={(e) => setText(splitGraphemes(e.target.value, VENUE_LIMITS.chatGraphemes).join(''))}
        />
      </label>
      <button type="submit">{TEXT.send[lang]}</button>
      {notice && (
        <p className="venue-chat-notice" role="status">
          {TEXT[notice][lang]}
        </p>
      )}
    </form>
  )
}
