import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { createAppError } from '../../core/app/app-errors'
import { useLingjing } from '../../lingjing-context'
import { useFrameSystem } from '../frame/use-frame-system'
import { createDanmakuStation, type DanmakuStation } from './danmaku-station'
import type { Programme } from './programme'
import { useProgrammeProbe } from './programme-probe'

/** The `?danmaku=` value of the page (an address, a path or `demo`), or null. */
export function danmakuQuery(): string | null {
  return new URLSearchParams(window.location.search).get('danmaku')
}

/**
 * Mounts the danmaku desk on a programme: the overlay draws into its output after the tone-map
 * pass, a tiny frame system stamps the loop's time for incoming frames, `?danmaku=` connects at
 * start, and a bad address or a feed that never answers is shown as an error.
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

  useEffect(() => {
    const query = danmakuQuery()
    if (query === null) return
    const result = station.connect(query)
    if (!result.ok) app.pushError(createAppError('danmaku-url-invalid', `?danmaku=${query}: ${result.reason}`))
  }, [station, app])

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
