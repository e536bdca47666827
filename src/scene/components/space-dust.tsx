import { useEffect, useMemo } from 'react'
import { AdditiveBlending, BufferAttribute, BufferGeometry } from 'three'
import type { QualityScaler } from '../../core/frame'
import { createRng } from '../../core/time/rng'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'

/** Levels of the dust lever: 0 = none … 4 = all particles. */
const DUST_LEVELS = 4

/**
 * Drifting dust and ice crystals around the deck, simulated on the CPU each frame. How many drift
 * is a governed lever: the first thing to thin out when a frame runs long.
 */
export function SpaceDust({ count = 30000, halfSize = 9, seed = 11 }: { count?: number; halfSize?: number; seed?: number }) {
  const { geometry, velocity, state } = useMemo(() => {
    const rng = createRng(seed)
    const positions = new Float32Array(count * 3)
    const velocities = new Float32Array(count * 3)
    for (let i = 0; i < count * 3; i++) {
      positions[i] = rng.range(-halfSize, halfSize)
      velocities[i] = rng.range(-0.05, 0.05)
    }
    for (let i = 0; i < count; i++) positions[i * 3 + 1] = Math.abs(positions[i * 3 + 1]) * 0.5 + 0.2
    const g = new BufferGeometry()
    const attribute = new BufferAttribute(positions, 3)
    attribute.setUsage(35048 /* DynamicDrawUsage */)
    g.setAttribute('position', attribute)
    return { geometry: g, velocity: velocities, state: { active: count } }
  }, [count, halfSize, seed])
  useEffect(() => () => geometry.dispose(), [geometry])

  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'dust',
      label: { zh: '太空尘埃粒子', en: 'Space dust particles' },
      maxLevel: DUST_LEVELS,
      costPerLevelMs: 0.5,
      visualImpact: 0.1,
      apply(level) {
        state.active = Math.round((count * level) / DUST_LEVELS)
        geometry.setDrawRange(0, state.active)
      },
    }),
    [count, geometry, state],
  )
  useQualityScaler(scaler)

  useFrameSystem('space-dust', 'animation', (ctx) => {
    const dt = ctx.deltaMs / 1000
    const attribute = geometry.attributes.position as BufferAttribute
    const p = attribute.array as Float32Array
    const n = state.active * 3
    const limit = halfSize
    for (let i = 0; i < n; i += 3) {
      // Drift with a slow swirl around the deck's axis; wrap at the box edges.
      const x = p[i]
      const z = p[i + 2]
      p[i] = x + (velocity[i] - z * 0.01) * dt
      p[i + 1] += velocity[i + 1] * dt * 0.2
      p[i + 2] = z + (velocity[i + 2] + x * 0.01) * dt
      if (p[i] > limit) p[i] -= 2 * limit
      else if (p[i] < -limit) p[i] += 2 * limit
      if (p[i + 2] > limit) p[i + 2] -= 2 * limit
      else if (p[i + 2] < -limit) p[i + 2] += 2 * limit
    }
    attribute.clearUpdateRanges()
    attribute.addUpdateRange(0, n)
    attribute.needsUpdate = true
  })

  return (
    <points geometry={geometry} frustumCulled={false}>
      <pointsMaterial size={0.025} color="#bfe6ff" transparent opacity={0.55} depthWrite={false} blending={AdditiveBlending} />
    </points>
  )
}
