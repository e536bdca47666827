import { useEffect, useMemo } from 'react'
import { BoxGeometry, BufferGeometry, Color, Float32BufferAttribute, InstancedMesh, MeshStandardMaterial, Object3D } from 'three'
import { createRoundRobin, type QualityScaler } from '../../core/frame'
import { createRng } from '../../core/time/rng'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'

const TRAFFIC_LEVELS = 4
/** Update-rate levels: 2 = every satellite every frame, 1 = half of them per frame, 0 = a quarter. */
const RATE_LEVELS = 2

/** One satellite: a body and two solar wings merged into one geometry (one draw call each). */
function createSatelliteGeometry(): BufferGeometry {
  const parts: [BoxGeometry, string][] = [
    [new BoxGeometry(0.6, 0.6, 1.2), '#d9dde3'],
    [new BoxGeometry(2.2, 0.04, 0.7).translate(-1.45, 0, 0), '#2a4f9c'],
    [new BoxGeometry(2.2, 0.04, 0.7).translate(1.45, 0, 0), '#2a4f9c'],
  ]
  const positions: number[] = []
  const normals: number[] = []
  const colors: number[] = []
  const color = new Color()
  for (const [part, hex] of parts) {
    const nonIndexed = part.toNonIndexed()
    positions.push(...(nonIndexed.attributes.position.array as Float32Array))
    normals.push(...(nonIndexed.attributes.normal.array as Float32Array))
    color.set(hex)
    for (let i = 0; i < nonIndexed.attributes.position.count; i++) colors.push(color.r, color.g, color.b)
    part.dispose()
    nonIndexed.dispose()
  }
  const geometry = new BufferGeometry()
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3))
  geometry.setAttribute('normal', new Float32BufferAttribute(normals, 3))
  geometry.setAttribute('color', new Float32BufferAttribute(colors, 3))
  return geometry
}

/**
 * Stations, tugs and satellites orbiting the base: one instanced mesh, so all of them are one draw
 * call (they were one mesh each: about 40 draws per eye in the hub, the hub's largest share). Each
 * keeps its own transform, composed into its instance matrix; how many fly is a governed lever (the
 * instance count), the most visible one after the dust.
 */
export function OrbitalTraffic({ count = 160, seed = 5 }: { count?: number; seed?: number }) {
  const { mesh, state, geometry, material, roundRobin, indices } = useMemo(() => {
    const rng = createRng(seed)
    const geo = createSatelliteGeometry()
    const mat = new MeshStandardMaterial({ vertexColors: true, metalness: 0.5, roughness: 0.4 })
    const ships = new InstancedMesh(geo, mat, count)
    ships.name = 'orbital-traffic'
    // They orbit all around the base: one bounding sphere over moving instances would cull wrongly.
    ships.frustumCulled = false
    // radius, height, phase, angular speed, tilt for each satellite
    const o = new Float32Array(count * 5)
    for (let i = 0; i < count; i++) {
      o[i * 5] = rng.range(30, 90)
      o[i * 5 + 1] = rng.range(-12, 25)
      o[i * 5 + 2] = rng.range(0, Math.PI * 2)
      o[i * 5 + 3] = rng.range(0.01, 0.06) * (rng.next() > 0.5 ? 1 : -1)
      o[i * 5 + 4] = rng.range(-0.4, 0.4)
    }
    const state = { active: count, timeS: 0, perFrameDivisor: 1, moved: false }
    const pose = new Object3D()
    // Amortised updates: a round robin over the satellites, so a lower update rate spreads them
    // over frames instead of skipping some for good. Positions come from absolute time, so a
    // satellite updated late is simply where it should be then.
    const positionAt = (i: number) => {
      const angle = o[i * 5 + 2] + o[i * 5 + 3] * state.timeS
      const r = o[i * 5]
      pose.position.set(Math.cos(angle) * r, o[i * 5 + 1] + Math.sin(angle) * r * o[i * 5 + 4], Math.sin(angle) * r)
      pose.rotation.set(o[i * 5 + 4], -angle, 0.3)
      pose.updateMatrix()
      ships.setMatrixAt(i, pose.matrix)
      state.moved = true
    }
    for (let i = 0; i < count; i++) positionAt(i)
    const indices = Array.from({ length: count }, (_, i) => i)
    const roundRobin = createRoundRobin(indices, positionAt)
    return { mesh: ships, state, geometry: geo, material: mat, roundRobin, indices }
  }, [count, seed])
  useEffect(
    () => () => {
      geometry.dispose()
      material.dispose()
      mesh.dispose()
    },
    [geometry, material, mesh],
  )

  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'traffic',
      label: { zh: '轨道交通数量', en: 'Orbital traffic' },
      maxLevel: TRAFFIC_LEVELS,
      costPerLevelMs: 0.8,
      visualImpact: 0.3,
      apply(level) {
        state.active = Math.round((count * level) / TRAFFIC_LEVELS)
        // The first `active` instances are drawn.
        mesh.count = state.active
        mesh.visible = state.active > 0
        // The round robin walks only the visible ones.
        indices.length = state.active
        for (let i = 0; i < state.active; i++) indices[i] = i
        roundRobin.reset()
      },
    }),
    [count, mesh, indices, roundRobin, state],
  )
  useQualityScaler(scaler)

  const rateScaler = useMemo<QualityScaler>(
    () => ({
      id: 'traffic-rate',
      label: { zh: '远处物体更新频率', en: 'Update rate of distant traffic' },
      maxLevel: RATE_LEVELS,
      costPerLevelMs: 0.2,
      visualImpact: 0.05,
      apply(level) {
        state.perFrameDivisor = 1 << (RATE_LEVELS - level)
      },
    }),
    [state],
  )
  useQualityScaler(rateScaler)

  useFrameSystem('orbital-traffic', 'animation', (ctx) => {
    state.timeS += ctx.deltaMs / 1000
    if (state.active > 0) roundRobin.run(Math.ceil(state.active / state.perFrameDivisor))
    if (state.moved) {
      state.moved = false
      mesh.instanceMatrix.needsUpdate = true
    }
  })

  return <primitive object={mesh} />
}
