import { useEffect, useMemo } from 'react'
import { AdditiveBlending, BackSide, CanvasTexture, Mesh, MeshBasicMaterial, SRGBColorSpace, SphereGeometry } from 'three'
import type { QualityScaler } from '../../core/frame'
import { createRng } from '../../core/time/rng'
import { useQualityScaler } from '../../scene/frame/use-frame-system'

/**
 * Earth below the station, seen through the window: a big unlit sphere (so the cabin lighting
 * scene does not dim it) with a painted, seeded surface and a thin atmosphere rim. Placed so that
 * from the cabin the horizon dips about 20° below the horizontal, as from 400 km up. Two draw calls.
 * Its 'earth-detail' lever lowers the tessellation (13.8k triangles at full quality, 576 at the
 * lowest) and drops the additive atmosphere shell below full quality.
 */

/** Sphere segments (width, height) per level, lowest first. */
export const ORBIT_EARTH_SEGMENTS: readonly (readonly [number, number])[] = [
  [24, 12],
  [48, 24],
  [96, 48],
]

function paint(seed: number): CanvasTexture {
  const canvas = document.createElement('canvas')
  canvas.width = 1024
  canvas.height = 512
  const ctx = canvas.getContext('2d')!
  const ocean = ctx.createLinearGradient(0, 0, 0, 512)
  ocean.addColorStop(0, '#0d4a85')
  ocean.addColorStop(0.5, '#1b6bb3')
  ocean.addColorStop(1, '#0d4a85')
  ctx.fillStyle = ocean
  ctx.fillRect(0, 0, 1024, 512)
  const rng = createRng(seed)
  for (let c = 0; c < 10; c++) {
    const cx = rng.range(0, 1024)
    const cy = rng.range(90, 420)
    for (let b = 0; b < 30; b++) {
      ctx.fillStyle = rng.next() > 0.35 ? '#4b8a3f' : '#b39a63'
      ctx.beginPath()
      ctx.ellipse(cx + rng.range(-100, 100), cy + rng.range(-60, 60), rng.range(14, 46), rng.range(9, 32), rng.range(0, Math.PI), 0, Math.PI * 2)
      ctx.fill()
    }
  }
  ctx.globalAlpha = 0.55
  ctx.fillStyle = '#ffffff'
  for (let i = 0; i < 220; i++) {
    ctx.beginPath()
    ctx.ellipse(rng.range(0, 1024), rng.range(10, 502), rng.range(20, 90), rng.range(3, 10), rng.range(-0.3, 0.3), 0, Math.PI * 2)
    ctx.fill()
  }
  const texture = new CanvasTexture(canvas)
  texture.colorSpace = SRGBColorSpace
  return texture
}

/** Earth of radius `radius` (m, scene scale) centred at `position`. */
export function OrbitEarth({ position, radius, seed = 11 }: { position: [number, number, number]; radius: number; seed?: number }) {
  const parts = useMemo(() => {
    const texture = paint(seed)
    const geometries = ORBIT_EARTH_SEGMENTS.map(([w, h]) => new SphereGeometry(radius, w, h))
    const surface = new MeshBasicMaterial({ map: texture })
    const air = new MeshBasicMaterial({ color: '#6fb8ff', transparent: true, opacity: 0.35, side: BackSide, blending: AdditiveBlending, depthWrite: false })
    const earth = new Mesh(geometries[geometries.length - 1], surface)
    earth.name = 'earth'
    const atmosphere = new Mesh(new SphereGeometry(radius * 1.018, 64, 32), air)
    atmosphere.name = 'earth-atmosphere'
    return { texture, geometries, surface, air, earth, atmosphere }
  }, [radius, seed])
  useEffect(
    () => () => {
      parts.texture.dispose()
      for (const g of parts.geometries) g.dispose()
      parts.atmosphere.geometry.dispose()
      parts.surface.dispose()
      parts.air.dispose()
    },
    [parts],
  )
  const lever = useMemo<QualityScaler>(
    () => ({
      id: 'earth-detail',
      label: { zh: '地球细节', en: 'Earth detail' },
      maxLevel: ORBIT_EARTH_SEGMENTS.length - 1,
      costPerLevelMs: 0.5,
      visualImpact: 0.1,
      apply(level) {
        parts.earth.geometry = parts.geometries[level]
        parts.atmosphere.visible = level === ORBIT_EARTH_SEGMENTS.length - 1
      },
    }),
    [parts],
  )
  useQualityScaler(lever)
  // Tilted so the painted poles (where the texture pinches) are out of sight.
  return (
    <group position={position} rotation={[Math.PI / 2, 0.3, 0]}>
      <primitive object={parts.earth} />
      <primitive object={parts.atmosphere} />
    </group>
  )
}
