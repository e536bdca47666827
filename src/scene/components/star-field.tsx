import { useMemo } from 'react'
import { BufferAttribute, BufferGeometry } from 'three'
import type { QualityScaler } from '../../core/frame'
import { createRng } from '../../core/time/rng'
import { useQualityScaler } from '../frame/use-frame-system'

/** Fraction of the stars drawn per level of the 'stars' lever, lowest first. */
export const STAR_FRACTIONS: readonly number[] = [0.25, 0.5, 1]

/**
 * A fixed, seeded sky of stars on a far sphere: one draw call. Its 'stars' lever draws a prefix of
 * the (uniformly scattered) stars, so a lower level is the same sky, sparser: a draw-range change, no upload.
 */
export function StarField({ count = 2500, radius = 400, seed = 2023 }: { count?: number; radius?: number; seed?: number }) {
  const geometry = useMemo(() => {
    const rng = createRng(seed)
    const positions = new Float32Array(count * 3)
    const colors = new Float32Array(count * 3)
    for (let i = 0; i < count; i++) {
      // Uniform on the sphere.
      const u = rng.range(-1, 1)
      const phi = rng.range(0, Math.PI * 2)
      const s = Math.sqrt(1 - u * u)
      positions[i * 3] = radius * s * Math.cos(phi)
      positions[i * 3 + 1] = radius * u
      positions[i * 3 + 2] = radius * s * Math.sin(phi)
      const warm = rng.next()
      const brightness = 0.55 + 0.45 * rng.next()
      colors[i * 3] = brightness
      colors[i * 3 + 1] = brightness * (0.9 + 0.1 * warm)
      colors[i * 3 + 2] = brightness * (1.05 - 0.25 * warm)
    }
    const g = new BufferGeometry()
    g.setAttribute('position', new BufferAttribute(positions, 3))
    g.setAttribute('color', new BufferAttribute(colors, 3))
    return g
  }, [count, radius, seed])
  const lever = useMemo<QualityScaler>(
    () => ({
      id: 'stars',
      label: { zh: '星空粒子数', en: 'Star count' },
      maxLevel: STAR_FRACTIONS.length - 1,
      costPerLevelMs: 0.1,
      visualImpact: 0.05,
      apply(level) {
        geometry.setDrawRange(0, Math.round(count * STAR_FRACTIONS[level]))
      },
    }),
    [count, geometry],
  )
  useQualityScaler(lever)
  return (
    <points geometry={geometry} frustumCulled={false}>
      <pointsMaterial size={1.6} sizeAttenuation={false} vertexColors depthWrite={false} />
    </points>
  )
}
