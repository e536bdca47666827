import type { ThreeEvent } from '@react-three/fiber'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Mesh } from 'three'
import { createTextTexture, type TextLine } from '../text/create-text-texture'

/** Props of an in-world text panel. */
export interface TextPanelProps {
  lines: TextLine[]
  /** Size in metres; the texture keeps this aspect ratio. */
  width: number
  height: number
  position?: [number, number, number]
  rotation?: [number, number, number]
  pixelsPerMetre?: number
  background?: string
  border?: string
  align?: 'left' | 'center'
  onClick?: (event: ThreeEvent<MouseEvent>) => void
  /** Accessible name for tests and pointer debugging. */
  name?: string
}

/** A flat panel of bilingual text in the world, with hover feedback when it is clickable. */
export function TextPanel({ lines, width, height, position, rotation, pixelsPerMetre = 512, background, border, align, onClick, name }: TextPanelProps) {
  const key = JSON.stringify(lines)
  const texture = useMemo(
    () =>
      createTextTexture({
        width: Math.round(width * pixelsPerMetre),
        height: Math.round(height * pixelsPerMetre),
        lines,
        background,
        border,
        align,
      }),
    // The serialised lines are the identity of the texture.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key, width, height, pixelsPerMetre, background, border, align],
  )
  useEffect(() => () => texture.dispose(), [texture])
  const [hovered, setHovered] = useState(false)
  const clickable = onClick !== undefined
  const mesh = useRef<Mesh>(null)
  // A panel inside a static (frozen) group still grows on hover: its matrix is composed on change.
  useLayoutEffect(() => {
    const m = mesh.current
    if (m && !m.matrixAutoUpdate) m.updateMatrix()
  }, [hovered])
  return (
    <mesh
      ref={mesh}
      name={name}
      position={position}
      rotation={rotation}
      scale={hovered && clickable ? 1.04 : 1}
      onClick={onClick}
      onPointerOver={clickable ? () => setHovered(true) : undefined}
      onPointerOut={clickable ? () => setHovered(false) : undefined}
    >
      <planeGeometry args={[width, height]} />
      <meshBasicMaterial map={texture} transparent toneMapped={false} />
    </mesh>
  )
}
