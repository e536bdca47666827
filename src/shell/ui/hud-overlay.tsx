import { useEffect, useRef } from 'react'
import { useLingjing } from '../../scene/lingjing-context'
import { drawFrameHud } from '../../scene/hud/draw-frame-hud'
import { useFrameHudReader } from '../../scene/hud/use-frame-hud-data'
import { useAppState } from '../../scene/use-app-state'
import { useLang } from '../../scene/use-lang'

/**
 * The desktop frame-budget HUD (H toggles it, `?hud=1` opens it). It redraws four times a second
 * from a timer on the DOM side: nothing of it runs inside the frame.
 */
export function HudOverlay() {
  const { frame, app } = useLingjing()
  const visible = useAppState(app, (s) => s.hud)
  const presenting = useAppState(app, (s) => s.presenting)
  const lang = useLang()
  const canvas = useRef<HTMLCanvasElement>(null)
  const read = useFrameHudReader(frame)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'h' || event.target instanceof HTMLInputElement) return
      app.setState({ hud: !app.getState().hud })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [app])

  useEffect(() => {
    if (!visible) return
    const draw = () => {
      const c = canvas.current
      const ctx = c?.getContext('2d')
      if (c && ctx) drawFrameHud(ctx, c.width, c.height, read(), lang)
    }
    draw()
    const timer = window.setInterval(draw, 250)
    return () => window.clearInterval(timer)
  }, [visible, read, lang])

  // In a session the in-world panel takes over; the emulator's DevUI covers the corners anyway.
  if (!visible || presenting) return null
  return <canvas ref={canvas} className="hud" width={560} height={280} role="img" aria-label={lang === 'zh' ? '帧预算面板' : 'Frame budget HUD'} />
}
