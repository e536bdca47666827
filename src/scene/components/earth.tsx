import { useEffect, useMemo } from 'react'
import { AdditiveBlending, BackSide, CanvasTexture, SRGBColorSpace } from 'three'
import { createRng } from '../../core/time/rng'

/** Paints a stylised Earth (ocean, seeded continents, cloud bands) once into a canvas texture. */
function paintEarth(seed: number): CanvasTexture {
  const canvas = document.createElement('canvas')
  canvas.width = 1024
  canvas.height = 512
  const ctx = canvas.getContext('2d')!
  const ocean = ctx.createLinearGradient(0, 0, 0, 512)
  ocean.addColorStop(0, '#0b3d6e')
  ocean.addColorStop(0.5, '#1565a8')
  ocean.addColorStop(1, '#0b3d6e')
  ctx.fillStyle = ocean
  ctx.fillRect(0, 0, 1024, 512)
  const rng = createRng(seed)
  // Continents: clusters of overlapping blobs.
  for (let c = 0; c < 9; c++) {
    const cx = rng.range(0, 1024)
    const cy = rng.range(110, 400)
    for (let b = 0; b < 26; b++) {
      const x = cx + rng.range(-90, 90)
      const y = cy + rng.range(-55, 55)
      ctx.fillStyle = rng.next() > 0.35 ? '#3f7d3a' : '#a48a56'
      ctx.beginPath()
      ctx.ellipse(x, y, rng.range(12, 42), rng.range(8, 30), rng.range(0, Math.PI), 0, Math.PI * 2)
      ctx.fill()
    }
  }
  ctx.fillStyle = '#f4f8ff'
  ctx.fillRect(0, 0, 1024, 26)
  ctx.fillRect(0, 486, 1024, 26)
  ctx.globalAlpha = 0.45
  for (let i = 0; i < 140; i++) {
    ctx.fillStyle = '#ffffff'
    ctx.beginPath()
    ctx.ellipse(rng.range(0, 1024), rng.range(20, 492), rng.range(20, 80), rng.range(3, 9), rng.range(-0.2, 0.2), 0, Math.PI * 2)
    ctx.fill()
  }
  const texture = new CanvasTexture(canvas)
  texture.colorSpace = SRGBColorSpace
  return texture
}

/** Earth seen from orbit, with a thin atmosphere glow. */
export function Earth({ position = [-70, -38, -150] as [number, number, number], radius = 60, seed = 7 }) {
  const texture = useMemo(() => paintEarth(seed), [seed])
  useEffect(() => () => texture.dispose(), [texture])
  return (
    <group position={position} rotation={[0.35, 0.6, 0.1]}>
      <mesh>
        <sphereGeometry args={[radius, 64, 32]} />
        <meshStandardMaterial map={texture} roughness={0.9} metalness={0} />
      </mesh>
      <mesh scale={1.025}>
        <sphereGeometry args={[radius, 48, 24]} />
        <meshBasicMaterial color="#5fb4ff" transparent opacity={0.18} side={BackSide} blending={AdditiveBlending} depthWrite={false} />
      </mesh>
    </group>
  )
}
