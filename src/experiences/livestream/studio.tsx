import { useCallback, useEffect, useMemo, useRef } from 'react'
import { BackSide, CylinderGeometry, DoubleSide, type DirectionalLight, type Group, type HemisphereLight, type Light, type PointLight, type SpotLight } from 'three'
import { Earth } from '../../scene/components/earth'
import { StarField } from '../../scene/components/star-field'
import { TextPanel } from '../../scene/components/text-panel'
import type { Language } from '../../core/app/options'
import type { LightCountEntry } from '../../scene/render/light-count'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useDetailLevers } from '../../scene/render/use-detail-levers'
import { useStaticMerge } from '../../scene/render/use-static-merge'

/** The backdrops the host can switch between. */
export const BACKDROPS = ['space', 'tianhe', 'chroma'] as const

/** A backdrop id. */
export type Backdrop = (typeof BACKDROPS)[number]

/** Bilingual names of the backdrops for buttons. */
export const BACKDROP_LABEL: Record<Backdrop, { zh: string; en: string }> = {
  space: { zh: '太空基地', en: 'Space base' },
  tianhe: { zh: '天和舱内', en: 'Tianhe interior' },
  chroma: { zh: '绿幕', en: 'Green screen' },
}

/** Height of the stage top: the wearer's floor (the XR origin) sits here. */
export const STAGE_TOP = 0.2

const STUDIO_PLACE = { zh: '直播间', en: 'Studio' }
/** Hemisphere and sun intensity per 'studio-lights' level (full quality last: the authored values). */
const HEMISPHERE_BY_LEVEL = [1.6, 1.3, 1.1, 0.9]
const SUN_BY_LEVEL = [3.2, 2.4, 1.8, 1.4]

/** The three spots; `keepFrom` is the lowest level of the 'studio-lights' lever that keeps each on. */
const SPOTS: { position: [number, number, number]; color: string; intensity: number; keepFrom: number }[] = [
  { position: [-2.4, 3.4, 2.2], color: '#fff1de', intensity: 22, keepFrom: 1 }, // key
  { position: [2.6, 3.0, 2.0], color: '#dfe9ff', intensity: 12, keepFrom: 2 }, // fill
  { position: [0, 3.6, -1.8], color: '#ff9fd0', intensity: 14, keepFrom: 3 }, // back/rim
]

function SpaceBackdrop() {
  return (
    <>
      <StarField count={1800} radius={120} seed={31} />
      <Earth position={[-26, -6, -60]} radius={22} seed={5} />
      {/* Curved window frame behind the host, so the stars read as "outside the base". */}
      <mesh position={[0, 2.2, -3.2]}>
        <torusGeometry args={[2.7, 0.08, 10, 64, Math.PI]} />
        <meshStandardMaterial color="#8fa3c8" metalness={0.7} roughness={0.3} />
      </mesh>
    </>
  )
}

function TianheBackdrop() {
  // The core module's interior: a white cylinder seen from inside, with panel bands and handrails.
  const shell = useMemo(() => new CylinderGeometry(3.4, 3.4, 12, 40, 1, true), [])
  return (
    <group position={[0, 1.9, -1]} rotation={[Math.PI / 2, 0, 0]}>
      <mesh geometry={shell}>
        <meshStandardMaterial color="#d9dde4" roughness={0.8} side={BackSide} />
      </mesh>
      {[-4.5, -3, -1.5, 0, 1.5, 3, 4.5].map((y) => (
        <mesh key={y} position={[0, y, 0]}>
          <torusGeometry args={[3.35, 0.05, 6, 48]} />
          <meshStandardMaterial color="#9aa5b8" metalness={0.4} roughness={0.5} />
        </mesh>
      ))}
      {[0.6, 1.6, 2.6, 3.7, 4.7, 5.7].map((a) => (
        <group key={a} rotation={[0, a, 0]}>
          <mesh position={[3.25, 0, 0]}>
            <boxGeometry args={[0.12, 11, 0.7]} />
            <meshStandardMaterial color={a > 3 ? '#c7ccd6' : '#eef0f3'} roughness={0.7} />
          </mesh>
          <mesh position={[3.1, 0, 0.45]}>
            <cylinderGeometry args={[0.025, 0.025, 10, 8]} />
            <meshStandardMaterial color="#f2c14e" metalness={0.3} roughness={0.4} />
          </mesh>
        </group>
      ))}
      {/* The round hatch at the far end glows softly. */}
      <mesh position={[0, -5.9, 0]} rotation={[Math.PI / 2, 0, 0]}>
        <circleGeometry args={[1.1, 40]} />
        <meshBasicMaterial color="#bfe6ff" toneMapped={false} side={DoubleSide} />
      </mesh>
    </group>
  )
}

function ChromaBackdrop() {
  // A cyclorama in broadcast chroma green: curved wall and floor, evenly lit.
  return (
    <>
      <mesh position={[0, 2.5, -1.2]}>
        <cylinderGeometry args={[4.5, 4.5, 5.4, 48, 1, true, Math.PI * 0.6, Math.PI * 0.8]} />
        <meshBasicMaterial color="#00b140" side={DoubleSide} />
      </mesh>
      <mesh position={[0, 0.01, 0]} rotation={[-Math.PI / 2, 0, 0]}>
        <circleGeometry args={[4.5, 48]} />
        <meshBasicMaterial color="#00a83c" />
      </mesh>
    </>
  )
}

/**
 * The studio: stage, the selected backdrop, three-point lighting with visible fixtures and an
 * on-air light. The host stands at the origin facing +Z, where the camera and monitor are.
 * Its GPU levers (src/scene/render/README.md): 'studio-lights' switches the rim spot and the
 * on-air light off first, then the fill, then the key (hemisphere and sun stay: the set never goes
 * dark); 'studio-materials' draws small or far props, then everything, with Lambert instead of
 * standard materials. The set's static meshes are merged per material (src/scene/render/static-merge.ts).
 */
export function Studio({ backdrop, lang }: { backdrop: Backdrop; lang: Language }) {
  const root = useRef<Group>(null)
  const spots = useRef<(SpotLight | null)[]>([])
  const onAir = useRef<PointLight>(null)
  const hemisphere = useRef<HemisphereLight>(null)
  const sun = useRef<DirectionalLight>(null)
  const lights = useCallback((): LightCountEntry[] => {
    const entries: LightCountEntry[] = []
    // The lights that stay brighten as the spots go out, so the stage keeps its exposure.
    if (hemisphere.current) entries.push({ light: hemisphere.current, keepFrom: 0, intensityByLevel: HEMISPHERE_BY_LEVEL })
    if (sun.current) entries.push({ light: sun.current, keepFrom: 0, intensityByLevel: SUN_BY_LEVEL })
    SPOTS.forEach((s, i) => {
      const light = spots.current[i]
      if (light) entries.push({ light, keepFrom: s.keepFrom })
    })
    if (onAir.current) entries.push({ light: onAir.current as Light, keepFrom: 3 })
    return entries
  }, [])
  // The set's static meshes drawn as one per material (again for each backdrop), before the
  // levers collect them: the material lever then swaps the merged meshes' materials.
  useStaticMerge('studio', root, backdrop)
  // A new backdrop is a new set of meshes: the levers are built again for it (version).
  useDetailLevers({ prefix: 'studio', place: STUDIO_PLACE, materials: root, lights, version: backdrop })
  // Nothing in the set moves: its matrices are composed once (again for each new backdrop).
  useEffect(() => {
    if (root.current) freezeStatic(root.current)
  }, [backdrop])
  return (
    <>
      {/* attach="background" sets the parent's background: it must stay a child of the scene. */}
      <color attach="background" args={[backdrop === 'chroma' ? '#00b140' : backdrop === 'tianhe' ? '#1a1d24' : '#05060c']} />
      <group ref={root} name="studio">
        <hemisphereLight ref={hemisphere} args={['#cfd8ff', '#2a2038', HEMISPHERE_BY_LEVEL[3]]} />
        <directionalLight ref={sun} position={[1.5, 4, 3]} intensity={SUN_BY_LEVEL[3]} color="#fff4e6" />
        {SPOTS.map((s, i) => (
          <group key={i} position={s.position}>
            <spotLight
              ref={(light) => {
                spots.current[i] = light
              }}
              intensity={s.intensity}
              angle={0.55}
              penumbra={0.7}
              distance={12}
              decay={1.6}
              color={s.color}
              target-position={[-s.position[0], 1.2 - s.position[1], -s.position[2]]}
            />
            <mesh rotation={[s.position[2] > 0 ? -0.9 : 0.9, 0, 0]}>
              <cylinderGeometry args={[0.11, 0.18, 0.3, 16]} />
              <meshStandardMaterial color="#1c1c22" metalness={0.7} roughness={0.35} />
            </mesh>
          </group>
        ))}
        {backdrop === 'space' && <SpaceBackdrop />}
        {backdrop === 'tianhe' && <TianheBackdrop />}
        {backdrop === 'chroma' && <ChromaBackdrop />}
        {/* Stage: a low round platform with a glowing rim, on a dark studio floor. */}
        <mesh position={[0, STAGE_TOP / 2, 0]}>
          <cylinderGeometry args={[1.8, 1.9, STAGE_TOP, 64]} />
          <meshStandardMaterial color={backdrop === 'chroma' ? '#00a83c' : '#2a2140'} roughness={0.5} metalness={0.2} />
        </mesh>
        <mesh position={[0, STAGE_TOP + 0.003, 0]} rotation={[-Math.PI / 2, 0, 0]}>
          <ringGeometry args={[1.68, 1.76, 96]} />
          <meshBasicMaterial color="#ff5fa2" toneMapped={false} />
        </mesh>
        {backdrop !== 'chroma' && (
          <mesh rotation={[-Math.PI / 2, 0, 0]}>
            <circleGeometry args={[9, 64]} />
            <meshStandardMaterial color="#15121e" roughness={0.9} />
          </mesh>
        )}
        {/* On-air light above the monitor, facing the host: tells the wearer they are live. */}
        <group position={[0, 2.95, 3.2]} rotation={[0, Math.PI, 0]}>
          <TextPanel
            name="on-air"
            width={0.9}
            height={0.24}
            align="center"
            background="rgba(150,0,24,0.95)"
            border="#ff4d4d"
            lines={[{ text: lang === 'zh' ? '● 直播中 ON AIR' : '● ON AIR 直播中', size: 64, weight: 700, color: '#ffe3e3' }]}
          />
          <pointLight ref={onAir} position={[0, 0, 0.3]} intensity={0.8} distance={2} color="#ff3040" />
        </group>
      </group>
    </>
  )
}
