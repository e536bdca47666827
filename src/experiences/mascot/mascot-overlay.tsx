import { XRDomOverlay } from '@react-three/xr'
import { useEffect, useState, type RefObject } from 'react'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { SHELL_HEADER_VAR } from '../../scene/dom/shell-header'
import type { ArPlacementApi } from './ar-placement'
import { pinchTwist, type GesturePoint, type XiaoguanOutfit } from './mascot-logic'
import type { XiaoguanRig } from './xiaoguan-rig'

const BUTTON: React.CSSProperties = {
  pointerEvents: 'auto',
  font: '600 16px system-ui, sans-serif',
  color: '#fff',
  background: 'rgba(20, 32, 56, 0.9)',
  border: '2px solid #ffc94f',
  borderRadius: 999,
  padding: '10px 14px',
  minWidth: 64,
}

/** Everything the buttons (DOM overlay or in-world) can ask for. */
export interface MascotActions {
  photo(): void
  wave(): void
  dance(): void
  outfit(): void
  /** In AR: fly away when placed, otherwise explain how to place. */
  flyAway(): void
  /** Outside XR: switch the rear-camera backdrop on or off. */
  camera(): void
}

/**
 * The phone's AR controls, in the WebXR DOM overlay: buttons, the current line, and two-finger
 * pinch (size) and twist (turn) anywhere on the screen. Buttons swallow `beforexrselect`, so
 * pressing one does not also place Xiaoguan.
 */
export function MascotOverlay({ actions, lang, placed, outfit, line, placement, emulated }: { actions: MascotActions; lang: Language; placed: boolean; outfit: XiaoguanOutfit; line: Bilingual; placement: RefObject<ArPlacementApi | null>; rig: XiaoguanRig; emulated: boolean }) {
  // XRDomOverlay mounts its children in a root of its own, later than this component's effects
  // run: the listeners go on through callback refs, when the elements really exist.
  const [surface, setSurface] = useState<HTMLDivElement | null>(null)
  const [bar, setBar] = useState<HTMLDivElement | null>(null)

  useEffect(() => {
    const el = bar
    if (!el) return
    const block = (event: Event) => event.preventDefault()
    el.addEventListener('beforexrselect', block)
    return () => el.removeEventListener('beforexrselect', block)
  }, [bar])

  // Two pointers down: pinch and twist, relative to where the gesture started.
  useEffect(() => {
    const el = surface
    if (!el) return
    const down = new Map<number, GesturePoint>()
    const start: GesturePoint[] = []
    const update = () => {
      if (down.size !== 2 || start.length !== 2) return
      const [a, b] = [...down.values()]
      const { scale, twist } = pinchTwist(start[0], start[1], a, b)
      placement.current?.applyGesture(scale, twist)
    }
    const onDown = (event: PointerEvent) => {
      down.set(event.pointerId, { x: event.clientX, y: event.clientY })
      if (down.size === 2) {
        start.splice(0, 2, ...[...down.values()].map((p) => ({ ...p })))
        placement.current?.beginGesture()
      }
    }
    const onMove = (event: PointerEvent) => {
      if (!down.has(event.pointerId)) return
      down.set(event.pointerId, { x: event.clientX, y: event.clientY })
      update()
    }
    const onUp = (event: PointerEvent) => {
      down.delete(event.pointerId)
      start.length = 0
    }
    el.addEventListener('pointerdown', onDown)
    el.addEventListener('pointermove', onMove)
    el.addEventListener('pointerup', onUp)
    el.addEventListener('pointercancel', onUp)
    return () => {
      el.removeEventListener('pointerdown', onDown)
      el.removeEventListener('pointermove', onMove)
      el.removeEventListener('pointerup', onUp)
      el.removeEventListener('pointercancel', onUp)
    }
  }, [placement, surface])

  const t = (text: Bilingual) => text[lang]
  return (
    <XRDomOverlay>
      {/* Fixed and above the emulator's canvas (z-index 999) as a real overlay is above the camera view.
          A real phone shows only the overlay in AR; the emulator keeps the page header on top, so
          there the line starts below it. */}
      <div ref={setSurface} className="mascot-ar-overlay" data-testid="mascot-ar-overlay" style={{ position: 'fixed', inset: 0, zIndex: 1000, touchAction: 'none', display: 'flex', flexDirection: 'column', justifyContent: 'space-between', pointerEvents: 'auto', paddingTop: emulated ? `var(${SHELL_HEADER_VAR}, 0px)` : 0 }}>
        <p role="status" style={{ margin: 12, padding: '10px 14px', borderRadius: 14, background: 'rgba(255, 251, 240, 0.94)', color: '#1b2233', font: '600 16px system-ui, sans-serif', alignSelf: 'center', maxWidth: 520, textAlign: 'center' }}>
          {line[lang]}
          <br />
          <small style={{ color: '#4a5572', fontWeight: 400 }}>{line[lang === 'zh' ? 'en' : 'zh']}</small>
        </p>
        <div ref={setBar} style={{ display: 'flex', gap: 8, justifyContent: 'center', flexWrap: 'wrap', padding: 12 }}>
          <button type="button" style={BUTTON} onClick={actions.photo}>
            {t({ zh: '拍照', en: 'Photo' })}
          </button>
          <button type="button" style={BUTTON} onClick={actions.wave}>
            {t({ zh: '挥手', en: 'Wave' })}
          </button>
          <button type="button" style={BUTTON} onClick={actions.dance}>
            {t({ zh: '跳舞', en: 'Dance' })}
          </button>
          <button type="button" style={BUTTON} onClick={actions.outfit}>
            {t({ zh: '换装', en: 'Outfit' })} · {t(outfit === 'gamer' ? { zh: '玩家', en: 'gamer' } : { zh: '宇航员', en: 'astronaut' })}
          </button>
          {placed && (
            <button type="button" style={BUTTON} onClick={actions.flyAway}>
              {t({ zh: '飞走', en: 'Fly away' })}
            </button>
          )}
        </div>
      </div>
    </XRDomOverlay>
  )
}
