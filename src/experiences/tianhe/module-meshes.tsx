import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import {
  AmbientLight,
  Color,
  CylinderGeometry,
  Group,
  HemisphereLight,
  InstancedMesh,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Quaternion,
  Vector3,
} from 'three'
import type { QualityScaler } from '../../core/frame'
import { DRAW_DISTANCE_LABEL, DRAW_DISTANCE_MAX_LEVEL, createDrawDistance, drawnItemRange, lightingScene, updateDrawDistance, type DrawDistance, type LightingSceneId, type ModuleLayout } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { buildModuleGeometries } from './module-geometry'
import type { TianheSession } from './tianhe-session'

/**
 * The static module: merged meshes per zone (lit interior with the foot-restraint straps, glowing
 * panels), hatch caps, one sun-lit exterior, the handrails (grabbed) as one instanced mesh, and the cabin lights, which follow the
 * lighting scene chosen on the crew tablet (colour and intensity only: no shader recompiles).
 */

/**
 * Handrails: one instanced cylinder per rail segment from the core layout (one draw call). The
 * instances are sorted fore → aft by zone (`starts[i]` is zone i's first rail, as in
 * {@link drawnItemRange}) and `source` keeps every matrix, so the draw-distance lever can draw
 * just the drawn zones' run by copying it to the front.
 */
export function createHandrailMesh(layout: ModuleLayout, drawDistance: DrawDistance = createDrawDistance(layout)): HandrailMesh {
  const geometry = new CylinderGeometry(0.017, 0.017, 1, 8, 1)
  const material = new MeshLambertMaterial({ color: '#e8b93c' })
  const zoneOf = (rail: ModuleLayout['handrails'][number]) => Math.max(0, drawDistance.zones.indexOf(rail.zone))
  const rails = [...layout.handrails].sort((a, b) => zoneOf(a) - zoneOf(b))
  const mesh = new InstancedMesh(geometry, material, rails.length)
  const m = new Matrix4()
  const a = new Vector3()
  const b = new Vector3()
  const dir = new Vector3()
  const q = new Quaternion()
  const up = new Vector3(0, 1, 0)
  rails.forEach((rail, i) => {
    a.set(...rail.start)
    b.set(...rail.end)
    dir.subVectors(b, a)
    const length = dir.length()
    q.setFromUnitVectors(up, dir.normalize())
    m.compose(a.clone().add(b).multiplyScalar(0.5), q, new Vector3(1, length, 1))
    mesh.setMatrixAt(i, m)
  })
  const starts = drawDistance.zones.map((_, z) => rails.findIndex((r) => zoneOf(r) >= z)).map((i) => (i < 0 ? rails.length : i))
  starts.push(rails.length)
  mesh.name = 'handrails'
  mesh.computeBoundingSphere()
  return { mesh, starts, source: Float32Array.from(mesh.instanceMatrix.array as Float32Array), range: [0, rails.length] }
}

/** The handrail mesh with what the draw-distance lever needs to draw a run of zones. */
export interface HandrailMesh {
  mesh: InstancedMesh
  /** First instance of each zone (fore → aft) and, last, the count. */
  starts: number[]
  /** Every instance matrix, in zone order. */
  source: Float32Array
  /** Scratch [start, end) of the run drawn now. */
  range: [number, number]
}

/** Draws only the drawn zones' rails (on a change of the drawn zones only; no allocation). */
export function applyHandrailRange(rails: HandrailMesh, drawDistance: DrawDistance): void {
  const [start, end] = drawnItemRange(drawDistance, rails.starts, rails.range)
  const dst = rails.mesh.instanceMatrix.array as Float32Array
  for (let i = 0, k = start * 16; k < end * 16; i++, k++) dst[i] = rails.source[k]
  rails.mesh.count = end - start
  rails.mesh.visible = end > start
  rails.mesh.instanceMatrix.needsUpdate = true
  if (end > start) rails.mesh.computeBoundingSphere()
}

/**
 * Unlit stand-in for the cabin's Lambert shading: vertex colour × the light a wall (normal
 * horizontal, so half sky, half ground) gets from the flood and fill lights, over π (three's
 * Lambert BRDF). Writes `out`; no allocation.
 */
export function unlitCabinTint(scene: { skyColor: string; groundColor: string; intensity: number; fill: number }, out: Color, scratch: Color): Color {
  out.set(scene.skyColor).add(scratch.set(scene.groundColor)).multiplyScalar(0.5 * scene.intensity)
  out.r += scene.fill
  out.g += scene.fill
  out.b += scene.fill
  return out.multiplyScalar(1 / Math.PI)
}

/**
 * The module (restraints included), rails and cabin lights. The interior is one lit and one glow
 * mesh per zone (each with its own bounding sphere, so a zone out of view is frustum-culled), a
 * cap per zone boundary side and one exterior mesh. Two levers:
 * - 'tianhe-materials' draws the cabin (restraints and caps included) and rails unlit at the lowest
 *   level (per-pixel hemisphere and fill lighting replaced by a colour that follows the lighting
 *   scene): the cabin covers every pixel of both eyes;
 * - 'tianhe-draw-distance' ({@link DRAW_DISTANCE_MAX_LEVEL} + 1 levels, core/tianhe/draw-distance.ts)
 *   draws every zone, the visitor's zone and its neighbours, or the visitor's zone only, with
 *   the caps closing the openings into hidden zones. Visibility is re-applied only when the
 *   visitor's zone or the level changes (`session.drawDistance.version`; the screens, doors and
 *   the arm outside follow it in tianhe-objects.tsx).
 */
export function ModuleMeshes({ session }: { session: TianheSession }) {
  const { frame, app, diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const built = useMemo(() => {
    const geometries = buildModuleGeometries(session.layout)
    const lit = new MeshLambertMaterial({ vertexColors: true })
    const unlit = new MeshBasicMaterial({ vertexColors: true, name: 'tianhe-unlit' })
    const unlitRails = new MeshBasicMaterial({ color: '#e8b93c', name: 'tianhe-unlit-rails' })
    const glow = new MeshBasicMaterial({ vertexColors: true, toneMapped: false })
    const exterior = new MeshBasicMaterial({ vertexColors: true })
    const hemi = new HemisphereLight('#ffffff', '#888888', 2)
    hemi.position.set(0, 1, 0)
    const fill = new AmbientLight('#ffffff', 0.5)
    const dd = session.drawDistance
    const rails = createHandrailMesh(session.layout, dd)
    const group = new Group()
    group.name = 'tianhe-module'
    const litMeshes: Mesh[] = []
    const zones = geometries.zones.map((z) => {
      const litMesh = new Mesh(z.lit, lit)
      litMesh.name = `tianhe-interior-${z.id}`
      litMeshes.push(litMesh)
      group.add(litMesh)
      const glowMesh = z.glow ? new Mesh(z.glow, glow) : null
      if (glowMesh) {
        glowMesh.name = `tianhe-glow-${z.id}`
        group.add(glowMesh)
      }
      return { lit: litMesh, glow: glowMesh }
    })
    const caps = geometries.caps.map((g, c) => {
      const cap = new Mesh(g, lit)
      const { zone, toward } = dd.caps[c]
      cap.name = `tianhe-cap-${dd.zones[zone]}-to-${dd.zones[toward]}`
      cap.visible = false
      litMeshes.push(cap)
      group.add(cap)
      return cap
    })
    const exteriorMesh = new Mesh(geometries.exterior, exterior)
    exteriorMesh.name = 'tianhe-exterior'
    group.add(exteriorMesh, rails.mesh)
    return { geometries, lit, unlit, unlitRails, glow, exterior, hemi, fill, rails, railsLit: rails.mesh.material as MeshLambertMaterial, group, zones, caps, litMeshes, exteriorMesh, level: 1, distance: DRAW_DISTANCE_MAX_LEVEL, applied: -1 }
  }, [session])
  useEffect(
    () => () => {
      const { geometries, lit, unlit, unlitRails, glow, exterior, rails, railsLit } = built
      for (const z of geometries.zones) {
        z.lit.dispose()
        z.glow?.dispose()
      }
      for (const g of geometries.caps) g.dispose()
      geometries.exterior.dispose()
      for (const m of [lit, unlit, unlitRails, railsLit]) m.dispose()
      glow.dispose()
      exterior.dispose()
      rails.mesh.geometry.dispose()
      rails.mesh.dispose()
    },
    [built],
  )

  // Material detail: level 1 lit (Lambert), level 0 unlit. Registered once the module is shown,
  // after compiling the unlit variant (so the first drop does not compile a shader in a frame).
  useEffect(() => {
    const setLevel = (level: number) => {
      built.level = level
      const material = level === 0 ? built.unlit : built.lit
      for (const mesh of built.litMeshes) mesh.material = material
      built.rails.mesh.material = level === 0 ? built.unlitRails : built.railsLit
    }
    let remove: (() => void) | null = null
    const start = () => {
      if (remove || app.getState().loading.phase !== 'ready') return
      setLevel(0)
      gl.compileAsync(scene, camera).catch((error: unknown) => diagnostics.reportError(`precompile tianhe-materials: ${String(error)}`))
      setLevel(1)
      const lever: QualityScaler = {
        id: 'tianhe-materials',
        label: { zh: '舱内材质光照', en: 'Cabin material lighting' },
        maxLevel: 1,
        costPerLevelMs: 1.0,
        visualImpact: 0.3,
        apply: setLevel,
      }
      remove = frame.addScaler(lever)
    }
    start()
    const unsubscribe = app.subscribe(start)
    return () => {
      unsubscribe()
      remove?.()
      setLevel(1)
    }
  }, [app, built, camera, diagnostics, frame, gl, scene])

  // Draw distance by zone: the flags change only with the visitor's zone or the level; the meshes
  // are touched only then (a string and number compare per frame otherwise).
  const applyDistance = useMemo(
    () => () => {
      updateDrawDistance(session.drawDistance, session.zone, built.distance)
      const dd = session.drawDistance
      if (dd.version === built.applied) return
      built.applied = dd.version
      for (let i = 0; i < built.zones.length; i++) {
        const z = built.zones[i]
        z.lit.visible = dd.zoneDrawn[i]
        if (z.glow) z.glow.visible = dd.zoneDrawn[i]
      }
      for (let c = 0; c < built.caps.length; c++) built.caps[c].visible = dd.capDrawn[c]
      built.exteriorMesh.visible = dd.outside
      applyHandrailRange(built.rails, dd)
    },
    [built, session],
  )
  useEffect(() => {
    const lever: QualityScaler = {
      id: 'tianhe-draw-distance',
      label: DRAW_DISTANCE_LABEL,
      maxLevel: DRAW_DISTANCE_MAX_LEVEL,
      // First estimate; the governor learns the real saving online. Each level hides about a
      // third of the module's draws and triangles (the zones beyond the neighbours, then those).
      costPerLevelMs: 1.0,
      // The hidden zones are far away or seen through a hatch: a closed hatch instead.
      visualImpact: 0.2,
      apply(level) {
        built.distance = level
        applyDistance()
      },
    }
    const remove = frame.addScaler(lever)
    return () => {
      remove()
      built.distance = DRAW_DISTANCE_MAX_LEVEL
      applyDistance()
    }
  }, [applyDistance, built, frame])
  useFrameSystem('tianhe-draw-distance', 'animation', applyDistance, 25)

  // Lighting scene: applied when it changes (a string compare per frame, no allocation).
  const applied = useMemo(() => ({ id: '' as LightingSceneId | '' }), [])
  const tint = useMemo(() => new Color(), [])
  const scratch = useMemo(() => new Color(), [])
  useFrameSystem('tianhe-lighting', 'animation', () => {
    if (applied.id === session.lighting) return
    applied.id = session.lighting
    const scene = lightingScene(session.lighting)
    built.hemi.color.set(scene.skyColor)
    built.hemi.groundColor.set(scene.groundColor)
    built.hemi.intensity = scene.intensity
    built.fill.intensity = scene.fill
    built.glow.color.copy(tint.set(scene.panelColor).multiplyScalar(scene.panelLevel))
    // The unlit stand-ins follow the same light (vertex colours, straps included, and the rail colour times it).
    unlitCabinTint(scene, built.unlit.color, scratch)
    built.unlitRails.color.set('#e8b93c').multiply(built.unlit.color)
  }, 20)

  return (
    <>
      <primitive object={built.hemi} />
      <primitive object={built.fill} />
      <primitive object={built.group} />
    </>
  )
}
