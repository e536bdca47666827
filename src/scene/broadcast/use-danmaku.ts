import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useState } from 'react'
import { createAppError } from '../../core/app/app-errors'
import { redactUrl } from '../../core/broadcast/redact-url'
import { useLingjing } from '../lingjing-context'
import { linkRequests, useLinkRequest } from '../use-link-request'
import type { QualityScaler } from '../../core/frame'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { useVenue } from '../venue/venue-context'
import { DANMAKU_RASTER_PER_FRAME } from '../../runtime/broadcast/danmaku-overlay'
import { createDanmakuStation, type DanmakuStation } from '../../runtime/broadcast/danmaku-station'
import type { Programme } from '../../runtime/broadcast/programme'
import { useProgrammeProbe } from './programme-probe'

/** The `?danmaku=` value of the page (an address, a path or `demo`) once the host accepted it, or null. */
export function danmakuQuery(): string | null {
  return linkRequests().accepted('danmaku')
}

/**
 * Mounts the danmaku desk on a programme: the overlay draws into its output after the tone-map
 * pass, a tiny frame system stamps the loop's time for incoming frames, `?danmaku=` connects once
 * the host accepts it (a link must not put a stranger's feed on air by itself), and a bad address or a feed that never answers is shown as an error.
 */
export function useDanmaku(programme: Programme): DanmakuStation {
  const lj = useLingjing()
  const { frame, app } = lj
  const station = useMemo(() => createDanmakuStation({ clock: frame.clock, pageHref: window.location.href }), [frame])
  // Tests check the danmaku in the picture itself, so the probe comes with them.
  useProgrammeProbe(programme)

  useEffect(() => () => station.dispose(), [station])
  const gl = useThree((s) => s.gl)
  useEffect(() => {
    // Compile the overlay's shader before the first comment arrives, not inside a programme frame.
    void station.overlay.prepare(gl)
  }, [station, gl])

  useEffect(() => {
    const output = programme.output
    output.overlay = (gl) => station.renderOverlay(gl)
    return () => {
      if (output.overlay) output.overlay = null
    }
  }, [programme, station])

  // Errors the operator must see (the panel says it too; this reaches the headset's error list).
  useEffect(() => {
    let last = station.feed.view.state
    return station.feed.subscribe((v) => {
      if (v.state === 'error' && last !== 'error') app.pushError(createAppError('danmaku-feed-unreachable', `${v.url ?? ''} (${v.error}: ${v.detail ?? ''})`))
      last = v.state
    })
  }, [station, app])

  // The shared room's chat goes on air as danmaku: the server sanitised and rate limited each
  // visitor's lines; the engine applies the same cleaning and its own feed-wide limits again.
  const venue = useVenue()
  useEffect(() => {
    if (!venue) return
    return venue.connection.onChat((line) => {
      station.engine.receive(JSON.stringify({ text: line.text, author: line.name }), station.nowMs)
    })
  }, [venue, station])

  const linked = useLinkRequest('danmaku')
  useEffect(() => {
    if (linked === null) return
    const result = station.connect(linked)
    if (!result.ok) app.pushError(createAppError('danmaku-url-invalid', `?danmaku=${redactUrl(linked)}: ${result.reason}`))
  }, [station, app, linked])

  // Rasterising a message is the overlay's one real cost (about 0.5–1 ms each here; drawing them
  // all is about 0.1 ms), and it lands in the programme frame a burst arrives in. The lever
  // spreads it to one message per programme frame; nothing leaves the picture (a message not
  // rasterised yet is still entering from off screen), hence the small visual impact.
  const lever = useMemo<QualityScaler>(
    () => ({
      id: 'danmaku-raster',
      label: { zh: '弹幕文字光栅化（每个节目帧）', en: 'Danmaku text rasterised per programme frame' },
      maxLevel: DANMAKU_RASTER_PER_FRAME.length - 1,
      costPerLevelMs: 1.5,
      visualImpact: 0.02,
      apply(level) {
        station.overlay.rasterPerFrame = DANMAKU_RASTER_PER_FRAME[level]
      },
    }),
    [station],
  )
  // Only while a feed is connected or coming back (like the mirror): with no danmaku it would save
  // nothing, and the governor would spend a step on it.
  const [feeding, setFeeding] = useState(false)
  useEffect(() => {
    const update = () => setFeeding(station.feed.view.state !== 'off' && station.feed.view.state !== 'error')
    update()
    return station.feed.subscribe(update)
  }, [station])
  useQualityScaler(feeding ? lever : null)

  // The frame time stamps each incoming frame (rate limits) and places the lanes.
  useFrameSystem(
    'danmaku-clock',
    'animation',
    (ctx) => {
      station.nowMs = ctx.timeMs
    },
    11,
  )
  return station
}
