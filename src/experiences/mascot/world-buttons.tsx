import type { Bilingual } from '../../core/i18n/strings'
import { TextPanel } from '../../scene/components/text-panel'
import { useLang } from '../../scene/use-lang'
import type { MascotActions } from './mascot-overlay'

/** In-world button size (m); drawn at 800 px/m so the longest label ("Camera off", "关闭相机") fits. */
const BUTTON_W = 0.26
const BUTTON_H = 0.075
const BUTTON_COLUMNS = 3

/** Position of button `i` of `count` in rows of three, centred, the first row on top. */
function buttonSlot(i: number, count: number): [number, number, number] {
  const row = Math.floor(i / BUTTON_COLUMNS)
  const inRow = Math.min(BUTTON_COLUMNS, count - row * BUTTON_COLUMNS)
  const col = i % BUTTON_COLUMNS
  return [(col - (inRow - 1) / 2) * (BUTTON_W + 0.02), -row * (BUTTON_H + 0.02), 0]
}

/** In-world buttons for headsets and the desktop (no DOM overlay there). */
export function WorldButtons({ actions, ar, placed, cameraOn, onPress }: { actions: MascotActions; ar: boolean; placed: boolean; cameraOn: boolean; onPress: () => void }) {
  const lang = useLang()
  const buttons: { id: string; label: Bilingual; run: () => void }[] = [
    { id: 'photo', label: { zh: '拍照', en: 'Photo' }, run: actions.photo },
    { id: 'wave', label: { zh: '挥手', en: 'Wave' }, run: actions.wave },
    { id: 'dance', label: { zh: '跳舞', en: 'Dance' }, run: actions.dance },
    { id: 'outfit', label: { zh: '换装', en: 'Outfit' }, run: actions.outfit },
  ]
  if (ar && placed) buttons.push({ id: 'fly-away', label: { zh: '飞走', en: 'Fly away' }, run: actions.flyAway })
  // Outside WebXR (iOS, a desktop): the photo-with-camera mode, the rear camera under the canvas.
  if (!ar) buttons.push({ id: 'camera', label: cameraOn ? { zh: '关闭相机', en: 'Camera off' } : { zh: '相机合影', en: 'Camera photo' }, run: actions.camera })
  // In AR the row sits low on the left, out of the way of aiming at the floor.
  // On the stage they sit to Xiaoguan's right under its bubble, turned to the visitor, not over it.
  const origin: [number, number, number] = ar ? [-0.55, 0.95, -0.75] : [0.78, 0.98, -1.15]
  return (
    <group position={origin} rotation={ar ? [-0.35, 0.45, 0] : [-0.2, -0.45, 0]}>
      {buttons.map((button, i) => (
        <group key={button.id} position={buttonSlot(i, buttons.length)} onPointerDown={onPress}>
          <TextPanel
            name={`mascot-button-${button.id}`}
            width={BUTTON_W}
            height={BUTTON_H}
            pixelsPerMetre={800}
            align="center"
            background="rgba(20, 32, 56, 0.92)"
            border="#ffc94f"
            onClick={button.run}
            lines={[{ text: button.label[lang], size: 30, weight: 700 }]}
          />
        </group>
      ))}
    </group>
  )
}
