import { useEffect, useMemo, useRef } from 'react'
import { AdditiveBlending, BackSide, CanvasTexture, SRGBColorSpace, SphereGeometry, type Mesh } from 'three'
import type { Job, QualityScaler } from '../../core/frame'
import { createRng } from '../../core/time/rng'
import { useLingjing } from '../lingjing-context'
import { createPaintCanvas } from '../canvas/create-paint-canvas'
import { useQualityScaler } from '../frame/use-frame-system'

const WIDTH = 1024
const HEIGHT = 512
const CONTINENTS = 9
const BLOBS_PER_CONTINENT = 26
const CLOUDS = 140
const CLOUDS_PER_STEP = 35

/**
 * Paints a stylised Earth (ocean, seeded continents, cloud bands) into a canvas texture as a
 * time-sliced job: the ocean is there at once, continents and clouds arrive a step at a time in
 * the frames' leftover time, and the texture is uploaded once when the picture is complete.
 */
function createEarthPainter(seed: number): { texture: CanvasTexture; job: Job } {
  const { canvas, ctx: context } = createPaintCanvas(WIDTH, HEIGHT)
  const ctx = context!
  const ocean = ctx.createLinearGradient(0, 0, 0, HEIGHT)
  ocean.addColorStop(0, '#0b3d6e')
  ocean.addColorStop(0.5, '#1565a8')
  ocean.addColorStop(1, '#0b3d6e')
  ctx.fillStyle = ocean
  ctx.fillRect(0, 0, WIDTH, HEIGHT)
  const texture = new CanvasTexture(canvas)
  texture.colorSpace = SRGBColorSpace
  const rng = createRng(seed)
  let stepIndex = 0
  const job: Job = {
    name: 'paint-earth',
    priority: 1,
    estimateMs: 2,
    step() {
      if (stepIndex < CONTINENTS) {
        // One continent: a cluster of overlapping blobs.
        const cx = rng.range(0, WIDTH)
        const cy = rng.range(110, 400)
        for (let b = 0; b < BLOBS_PER_CONTINENT; b++) {
          ctx.fillStyle = rng.next() > 0.35 ? '#3f7d3a' : '#a48a56'
          ctx.beginPath()
          ctx.ellipse(cx + rng.range(-90, 90), cy + rng.range(-55, 55), rng.range(12, 42), rng.range(8, 30), rng.range(0, Math.PI), 0, Math.PI * 2)
          ctx.fill()
        }
      } else if (stepIndex === CONTINENTS) {
        ctx.fillStyle = '#f4f8ff'
        ctx.fillRect(0, 0, WIDTH, 26)
        ctx.fillRect(0, HEIGHT - 26, WIDTH, 26)
      } else {
        ctx.globalAlpha = 0.45
        ctx.fillStyle = '#ffffff'
        for (let i = 0; i < CLOUDS_PER_STEP; i++) {
          ctx.beginPath()
          ctx.ellipse(rng.range(0, WIDTH), rng.range(20, HEIGHT - 20), rng.range(20, 80), rng.range(3, 9), rng.range(-0.2, 0.2), 0, Math.PI * 2)
          ctx.fill()
        }
        ctx.globalAlpha = 1
      }
      stepIndex++
      const done = stepIndex > CONTINENTS + CLOUDS / CLOUDS_PER_STEP
      if (done) texture.needsUpdate = true
      return done
    },
  }
  return { texture, job }
}

/** Sphere segments (width, height) per level of the Earth-detail lever, lowest first. */
export const EARTH_SEGMENTS: readonly (readonly [number, number])[] = [
  [24, 12],
  [40, 20],
  [64, 32],
]

/**
 * Earth seen from orbit, with a thin atmosphere glow. Its 'earth-detail' lever lowers the sphere's
 * tessellation and, below full quality, drops the additive atmosphere shell (a second sphere of
 * blended fragments over the whole disc).
 */
export function Earth({ position = [-70, -38, -150] as [number, number, number], radius = 60, seed = 7 }) {
  const { frame } = useLingjing()
  const painter = useMemo(() => createEarthPainter(seed), [seed])
  const surface = useRef<Mesh>(null)
  const air = useRef<Mesh>(null)
  const geometries = useMemo(() => EARTH_SEGMENTS.map(([w, h]) => new SphereGeometry(radius, w, h)), [radius])
  const airGeometry = useMemo(() => new SphereGeometry(radius, 48, 24), [radius])
  useEffect(() => {
    const handle = frame.jobs.enqueue(painter.job)
    return () => {
      handle.cancel()
      painter.texture.dispose()
    }
  }, [frame, painter])
  useEffect(
    () => () => {
      for (const g of geometries) g.dispose()
      airGeometry.dispose()
    },
    [geometries, airGeometry],
  )
  const lever = useMemo<QualityScaler>(
    () => ({
      id: 'earth-detail',
      label: { zh: '地球细节', en: 'Earth detail' },
      maxLevel: EARTH_SEGMENTS.length - 1,
      costPerLevelMs: 0.4,
      visualImpact: 0.1,
      apply(level) {
        if (surface.current) surface.current.geometry = geometries[level]
        if (air.current) air.current.visible = level === EARTH_SEGMENTS.length - 1
      },
    }),
    [geometries],
  )
  useQualityScaler(lever)
  return (
    // noMerge: the detail lever swaps this mesh's geometry, so a static merge must leave it alone.
    <group position={position} rotation={[0.35, 0.6, 0.1]} userData={{ noMerge: true }}>
      <mesh ref={surface} geometry={geometries[geometries.length - 1]}>
        <meshStandardMaterial map={painter.texture} roughness={0.9} metalness={0} />
      </mesh>
      <mesh ref={air} scale={1.025} geometry={airGeometry}>
        <meshBasicMaterial color="#5fb4ff" transparent opacity={0.18} side={BackSide} blending={AdditiveBlending} depthWrite={false} />
      </mesh>
    </group>
  )
}
