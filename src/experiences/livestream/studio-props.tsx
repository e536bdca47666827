import { useEffect, useMemo, useRef } from 'react'
import { DoubleSide, Quaternion, Vector3, type Group, type Object3D } from 'three'
import type { PropDef, PropId } from '../../core/avatar'
import { createTextTexture } from '../../scene/text/create-text-texture'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useStaticMerge } from '../../scene/render/use-static-merge'
import { STAGE_TOP } from './studio'

/**
 * The host's studio props (microphone, cue card, a Tianhe model) and the small table they rest on,
 * at the host's right hand on the stage (world -X: the host faces +Z). Ordinary scene objects, so every camera films them. Each prop's
 * origin is its grip point; the host frame system writes their matrices (held or resting), never
 * React.
 */

/** Where the table stands (world; the host stands at the origin facing +Z). */
const TABLE = { x: -0.55, z: 0.05, top: STAGE_TOP + 0.85 }
/** Held in the right hand: the prop's +Y runs out of the fist on the thumb side (hand-bone +Z). */
const THUMB_UP = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2)

/** The props' places on the table and how a hand holds them (world space; see core/avatar/props.ts). */
export const STUDIO_PROP_DEFS: readonly PropDef[] = [
  {
    id: 'microphone',
    // Stands on its base; the grip is 8 cm up the handle.
    rest: new Vector3(TABLE.x, TABLE.top + 0.08, TABLE.z + 0.14),
    restRotation: new Quaternion(),
    // 4 cm from the wrist toward the fingers, 2 cm toward the palm.
    gripPosition: new Vector3(-0.04, -0.02, 0),
    gripRotation: THUMB_UP,
  },
  {
    id: 'card',
    // Upright in its slot, facing the cameras; held by its lower edge.
    rest: new Vector3(TABLE.x, TABLE.top + 0.01, TABLE.z),
    restRotation: new Quaternion(),
    gripPosition: new Vector3(-0.035, -0.015, 0),
    gripRotation: THUMB_UP,
  },
  {
    id: 'model',
    // Lying on the table along the cameras' line, held round its middle.
    rest: new Vector3(TABLE.x, TABLE.top + 0.03, TABLE.z - 0.14),
    restRotation: new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2),
    gripPosition: new Vector3(-0.04, -0.025, 0),
    gripRotation: THUMB_UP,
  },
]

const UNIT = new Vector3(1, 1, 1)
const CARD = { width: 0.15, height: 0.1 }

function Microphone() {
  return (
    <>
      <mesh position={[0, -0.01, 0]}>
        <cylinderGeometry args={[0.014, 0.011, 0.16, 16]} />
        <meshStandardMaterial color="#1d1d24" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, 0.085, 0]}>
        <sphereGeometry args={[0.026, 16, 12]} />
        <meshStandardMaterial color="#8d929c" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, 0.05, 0]}>
        <cylinderGeometry args={[0.018, 0.015, 0.02, 16]} />
        <meshStandardMaterial color="#ff5fa2" metalness={0.6} roughness={0.4} />
      </mesh>
    </>
  )
}

/** A bilingual cue card, painted once with the shared text helper. */
function CueCard() {
  const texture = useMemo(
    () =>
      createTextTexture({
        width: 384,
        height: 256,
        background: '#fdf8ec',
        border: '#d9a441',
        align: 'center',
        lines: [
          { text: '灵境直播', size: 44, weight: 700, color: '#1c2340' },
          { text: 'Lingjing Live', size: 32, weight: 600, color: '#1c2340' },
          { text: '今天：天和核心舱', size: 28, color: '#7a3d1c' },
          { text: 'Today: the Tianhe core module', size: 22, color: '#7a3d1c' },
        ],
      }),
    [],
  )
  useEffect(() => () => texture.dispose(), [texture])
  return (
    <mesh position={[0, CARD.height / 2, 0]}>
      <planeGeometry args={[CARD.width, CARD.height]} />
      <meshBasicMaterial map={texture} side={DoubleSide} toneMapped={false} />
    </mesh>
  )
}

/** The Tianhe core module in miniature: a white cylinder, a docking node and two solar wings. */
function TianheModel() {
  return (
    <>
      <mesh>
        <cylinderGeometry args={[0.022, 0.026, 0.12, 20]} />
        <meshStandardMaterial color="#e6e9ef" metalness={0.3} roughness={0.5} />
      </mesh>
      <mesh position={[0, 0.07, 0]}>
        <sphereGeometry args={[0.022, 16, 12]} />
        <meshStandardMaterial color="#cfd5df" metalness={0.3} roughness={0.5} />
      </mesh>
      {[-1, 1].map((side) => (
        <mesh key={side} position={[side * 0.085, -0.02, 0]}>
          <boxGeometry args={[0.12, 0.028, 0.002]} />
          <meshStandardMaterial color="#1d3f8f" metalness={0.3} roughness={0.5} />
        </mesh>
      ))}
    </>
  )
}

const PROP_MESH: Record<PropId, () => React.JSX.Element> = { microphone: Microphone, card: CueCard, model: TianheModel }

/** `snapshot()` section names of the props' merges (`<name>Merge`). */
const PROP_MERGE: Record<PropId, string> = { microphone: 'propMicrophone', card: 'propCard', model: 'propModel' }

/**
 * A prop's meshes, merged into one draw per material under the moving prop root: they never move
 * relative to each other, so the merge holds whatever the hand does with the prop (the parts share
 * one material's parameters, colour apart, so each prop is one draw).
 */
function PropBody({ id }: { id: PropId }) {
  const body = useRef<Group>(null)
  useStaticMerge(PROP_MERGE[id], body)
  useEffect(() => {
    if (body.current) freezeStatic(body.current)
  }, [])
  const Mesh = PROP_MESH[id]
  return (
    <group ref={body}>
      <Mesh />
    </group>
  )
}

/**
 * The table and the props. `objects` receives each prop's root (in {@link STUDIO_PROP_DEFS}
 * order); their matrices are the frame system's to write (`matrixAutoUpdate` off).
 */
export function StudioProps({ objects }: { objects: (Object3D | null)[] }) {
  const table = useRef<Group>(null)
  // The table never moves: its matrices are composed once, its three parts one draw.
  useStaticMerge('propTable', table)
  useEffect(() => {
    if (table.current) freezeStatic(table.current)
  }, [])
  return (
    <>
      <group ref={table} name="prop-table" position={[TABLE.x, STAGE_TOP, TABLE.z]}>
        <mesh position={[0, 0.84, 0]}>
          <boxGeometry args={[0.24, 0.02, 0.46]} />
          <meshStandardMaterial color="#3a2f4f" roughness={0.6} />
        </mesh>
        <mesh position={[0, 0.42, 0]}>
          <cylinderGeometry args={[0.02, 0.05, 0.84, 12]} />
          <meshStandardMaterial color="#2a2a33" roughness={0.6} />
        </mesh>
        {/* The card's slot. */}
        <mesh position={[0, 0.86, 0]}>
          <boxGeometry args={[0.17, 0.02, 0.03]} />
          <meshStandardMaterial color="#6b4a2f" roughness={0.6} />
        </mesh>
      </group>
      {STUDIO_PROP_DEFS.map((def, i) => {
        return (
          <group
            key={def.id}
            name={`prop-${def.id}`}
            matrixAutoUpdate={false}
            ref={(o) => {
              objects[i] = o
              // On its stand until the frame system takes over (it may not run before a rig exists).
              if (o) {
                o.matrix.compose(def.rest, def.restRotation, UNIT)
                o.matrixWorldNeedsUpdate = true
              }
            }}
          >
            <PropBody id={def.id} />
          </group>
        )
      })}
    </>
  )
}
