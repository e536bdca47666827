import { useState } from 'react'
import { DoubleSide } from 'three'
import type { Language } from '../../core/app/options'
import type { Bilingual } from '../../core/i18n/strings'
import { TextPanel } from './text-panel'

/** Props of a hub portal. */
export interface PortalProps {
  position: [number, number, number]
  rotationY: number
  color: string
  title: Bilingual
  blurb: Bilingual
  lang: Language
  onEnter: () => void
  name: string
}

/** A ring gate with a label: pointing and clicking (trigger, pinch or mouse) walks into the experience. */
export function Portal({ position, rotationY, color, title, blurb, lang, onEnter, name }: PortalProps) {
  const [hovered, setHovered] = useState(false)
  const other: Language = lang === 'zh' ? 'en' : 'zh'
  return (
    <group position={position} rotation={[0, rotationY, 0]}>
      <mesh position={[0, 1.45, 0]} name={`${name}-ring`}>
        <torusGeometry args={[0.85, 0.06, 16, 64]} />
        <meshStandardMaterial color={color} emissive={color} emissiveIntensity={hovered ? 2.2 : 1.2} toneMapped={false} />
      </mesh>
      <mesh
        position={[0, 1.45, 0]}
        name={name}
        onClick={onEnter}
        onPointerOver={() => setHovered(true)}
        onPointerOut={() => setHovered(false)}
      >
        <circleGeometry args={[0.8, 48]} />
        <meshBasicMaterial color={color} transparent opacity={hovered ? 0.55 : 0.3} side={DoubleSide} depthWrite={false} />
      </mesh>
      <TextPanel
        position={[0, 0.32, 0.05]}
        width={1.5}
        height={0.62}
        align="center"
        onClick={onEnter}
        lines={[
          { text: title[lang], size: 64, weight: 700 },
          { text: title[other], size: 34, color: '#9cc9ee', gap: 14 },
          { text: blurb[lang], size: 34, color: '#d8ecff' },
        ]}
      />
      <mesh position={[0, 0.02, 0]} rotation={[-Math.PI / 2, 0, 0]}>
        <ringGeometry args={[0.5, 0.7, 48]} />
        <meshBasicMaterial color={color} transparent opacity={0.5} toneMapped={false} />
      </mesh>
    </group>
  )
}
