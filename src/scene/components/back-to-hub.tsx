import { STRINGS } from '../../core/i18n/strings'
import { useLingjing } from '../lingjing-context'
import { useLang } from '../use-lang'
import { TextPanel } from './text-panel'

/** An in-world button back to the outer-space base (the DOM nav is not visible in a headset). */
export function BackToHub({ position, rotationY = 0 }: { position: [number, number, number]; rotationY?: number }) {
  const { navigate } = useLingjing()
  const lang = useLang()
  return (
    <TextPanel
      name="back-to-hub"
      position={position}
      rotation={[0, rotationY, 0]}
      width={0.7}
      height={0.16}
      align="center"
      onClick={() => navigate('/')}
      lines={[{ text: `← ${STRINGS.backToHub[lang]}`, size: 44, weight: 600 }]}
    />
  )
}
