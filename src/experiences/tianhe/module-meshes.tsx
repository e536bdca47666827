import { useEffect, useMemo } from 'react'
import {
  AmbientLight,
  BoxGeometry,
  Color,
  CylinderGeometry,
  HemisphereLight,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Quaternion,
  Vector3,
} from 'three'
import { lightingScene, type LightingSceneId, type ModuleLayout } from '../../core/tianhe'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { buildModuleGeometries } from './module-geometry'
import type { TianheSession } from './tianhe-session'

/**
 * The static module: three merged meshes (lit interior, glowing panels, sun-lit exterior), the
 * handrails and foot restraints as two instanced meshes, and the cabin lights, which follow the
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

/** Foot restraints: a pair of soft straps per spot on floor and ceiling (one draw call). */
export function createFootRestraintMesh(layout: ModuleLayout): InstancedMesh {
  const geometry = new BoxGeometry(0.09, 0.035, 0.32)
  const material = new MeshLambertMaterial({ color: '#3d5a80' })
  const mesh = new InstancedMesh(geometry, material, layout.footRestraints.length * 2)
  const m = new Matrix4()
  const q = new Quaternion()
  const p = new Vector3()
  const n = new Vector3()
  const side = new Vector3()
  layout.footRestraints.forEach((foot, i) => {
    n.set(...foot.normal)
    // Straps lie across the floor (or ceiling), toes pointing aft; two, a shoulder-width apart.
    q.setFromUnitVectors(new Vector3(0, 1, 0), n)
    side.set(1, 0, 0).applyQuaternion(q)
    for (let k = 0; k < 2; k++) {
      p.set(...foot.position).addScaledVector(side, k === 0 ? -0.14 : 0.14).addScaledVector(n, 0.02)
      m.compose(p, q, new Vector3(1, 1, 1))
      mesh.setMatrixAt(i * 2 + k, m)
    }
  })
  mesh.name = 'foot-restraints'
  mesh.computeBoundingSphere()
  return mesh
}

/** The merged module, rails, restraints and cabin lights. */
export function ModuleMeshes({ session }: { session: TianheSession }) {
  const built = useMemo(() => {
    const geometries = buildModuleGeometries(session.layout)
    const lit = new MeshLambertMaterial({ vertexColors: true })
    const glow = new MeshBasicMaterial({ vertexColors: true, toneMapped: false })
    const exterior = new MeshBasicMaterial({ vertexColors: true })
    const hemi = new HemisphereLight('#ffffff', '#888888', 2)
    hemi.position.set(0, 1, 0)
    const fill = new AmbientLight('#ffffff', 0.5)
    return { geometries, lit, glow, exterior, hemi, fill, rails: createHandrailMesh(session.layout), feet: createFootRestraintMesh(session.layout) }
  }, [session])
  useEffect(
    () => () => {
      const { geometries, lit, glow, exterior, rails, feet } = built
      geometries.lit.dispose()
      geometries.glow.dispose()
      geometries.exterior.dispose()
      lit.dispose()
      glow.dispose()
      exterior.dispose()
      for (const m of [rails, feet]) {
        m.geometry.dispose()
        ;(m.material as MeshLambertMaterial).dispose()
        m.dispose()
      }
    },
    [built],
  )

  // Lighting scene: applied when it changes (a string compare per frame, no allocation).
  const applied = useMemo(() => ({ id: '' as LightingSceneId | '' }), [])
  const tint = useMemo(() => new Color(), [])
  useFrameSystem('tianhe-lighting', 'animation', () => {
    if (applied.id === session.lighting) return
    applied.id = session.lighting
    const scene = lightingScene(session.lighting)
    built.hemi.color.set(scene.skyColor)
    built.hemi.groundColor.set(scene.groundColor)
    built.hemi.intensity = scene.intensity
    built.fill.intensity = scene.fill
    built.glow.color.copy(tint.set(scene.panelColor).multiplyScalar(scene.panelLevel))
  }, 20)

  return (
    <>
      <primitive object={built.hemi} />
      <primitive object={built.fill} />
      <mesh name="tianhe-interior" geometry={built.geometries.lit} material={built.lit} />
      <mesh name="tianhe-glow" geometry={built.geometries.glow} material={built.glow} />
      <mesh name="tianhe-exterior" geometry={built.geometries.exterior} material={built.exterior} />
      <primitive object={built.rails} />
      <primitive object={built.feet} />
    </>
  )
}
