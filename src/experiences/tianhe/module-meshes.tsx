import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import {
  AmbientLight,
  Color,
  CylinderGeometry,
  HemisphereLight,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Quaternion,
  Vector3,
  type Mesh,
} from 'three'
import type { QualityScaler } from '../../core/frame'
import { lightingScene, type LightingSceneId, type ModuleLayout } from '../../core/tianhe'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { buildModuleGeometries } from './module-geometry'
import type { TianheSession } from './tianhe-session'

/**
 * The static module: three merged meshes (lit interior with the foot-restraint straps, glowing
 * panels, sun-lit exterior), the handrails (grabbed) as one instanced mesh, and the cabin lights, which follow the
 * lighting scene chosen on the crew tablet (colour and intensity only: no shader recompiles).
 */

/** Handrails: one instanced cylinder per rail segment from the core layout (one draw call). */
export function createHandrailMesh(layout: ModuleLayout): InstancedMesh {
  const geometry = new CylinderGeometry(0.017, 0.017, 1, 8, 1)
  const material = new MeshLambertMaterial({ color: '#e8b93c' })
  const mesh = new InstancedMesh(geometry, material, layout.handrails.length)
  const m = new Matrix4()
  const a = new Vector3()
  const b = new Vector3()
  const dir = new Vector3()
  const q = new Quaternion()
  const up = new Vector3(0, 1, 0)
  layout.handrails.forEach((rail, i) => {
    a.set(...rail.start)
    b.set(...rail.end)
    dir.subVectors(b, a)
    const length = dir.length()
    q.setFromUnitVectors(up, dir.normalize())
    m.compose(a.clone().add(b).multiplyScalar(0.5), q, new Vector3(1, length, 1))
    mesh.setMatrixAt(i, m)
  })
  mesh.name = 'handrails'
  mesh.computeBoundingSphere()
  return mesh
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
 * The merged module (restraints included), rails and cabin lights. Its 'tianhe-materials' lever draws the
 * cabin (restraints included) and rails unlit at the lowest level (per-pixel hemisphere and fill lighting
 * replaced by a colour that follows the lighting scene): the cabin covers every pixel of both eyes.
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
    const rails = createHandrailMesh(session.layout)
    const interior = { current: null as Mesh | null }
    return { geometries, lit, unlit, unlitRails, glow, exterior, hemi, fill, rails, railsLit: rails.material as MeshLambertMaterial, interior, level: 1 }
  }, [session])
  useEffect(
    () => () => {
      const { geometries, lit, unlit, unlitRails, glow, exterior, rails, railsLit } = built
      geometries.lit.dispose()
      geometries.glow.dispose()
      geometries.exterior.dispose()
      for (const m of [lit, unlit, unlitRails, railsLit]) m.dispose()
      glow.dispose()
      exterior.dispose()
      rails.geometry.dispose()
      rails.dispose()
    },
    [built],
  )

  // Material detail: level 1 lit (Lambert), level 0 unlit. Registered once the module is shown,
  // after compiling the unlit variant (so the first drop does not compile a shader in a frame).
  useEffect(() => {
    const setLevel = (level: number) => {
      built.level = level
      const unlit = level === 0
      if (built.interior.current) built.interior.current.material = unlit ? built.unlit : built.lit
      built.rails.material = unlit ? built.unlitRails : built.railsLit
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
      <mesh
        ref={(mesh) => {
          built.interior.current = mesh
        }}
        name="tianhe-interior"
        geometry={built.geometries.lit}
        material={built.lit}
      />
      <mesh name="tianhe-glow" geometry={built.geometries.glow} material={built.glow} />
      <mesh name="tianhe-exterior" geometry={built.geometries.exterior} material={built.exterior} />
      <primitive object={built.rails} />
    </>
  )
}
