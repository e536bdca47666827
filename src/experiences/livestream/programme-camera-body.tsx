import { useEffect, useRef } from 'react'
import type { Group } from 'three'
import type { Programme } from '../../runtime/broadcast/programme'
import { useOffAir } from '../../scene/broadcast/use-off-air'
import { freezeStatic } from '../../scene/render/scene-matrices'
import { useStaticMerge } from '../../scene/render/use-static-merge'

/**
 * The programme camera's body on its stand, in front of the stage: seen in the room, off air (its
 * stand ran down the middle of the wide shot). It never moves: matrices composed once. Housing,
 * lens and stand share one material's parameters (colour apart), so they merge into one draw
 * (`snapshot().cameraBodyMerge`); with the tally light, two draws instead of four.
 */
export function ProgrammeCameraBody({ programme }: { programme: Programme }) {
  const body = useRef<Group>(null)
  useOffAir(programme, body)
  useStaticMerge('cameraBody', body)
  useEffect(() => {
    if (body.current) freezeStatic(body.current)
  }, [])
  return (
    <group ref={body} position={[0, 1.5, 2.7]}>
      <mesh>
        <boxGeometry args={[0.16, 0.14, 0.26]} />
        <meshStandardMaterial color="#202028" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, 0, -0.16]} rotation={[Math.PI / 2, 0, 0]}>
        <cylinderGeometry args={[0.045, 0.05, 0.08, 20]} />
        <meshStandardMaterial color="#0c0c10" metalness={0.6} roughness={0.4} />
      </mesh>
      <mesh position={[0, 0.09, 0.04]}>
        <sphereGeometry args={[0.014, 10, 8]} />
        <meshBasicMaterial color="#ff2a3a" toneMapped={false} />
      </mesh>
      <mesh position={[0, -0.78, 0.05]}>
        <cylinderGeometry args={[0.025, 0.06, 1.4, 10]} />
        <meshStandardMaterial color="#2a2a33" metalness={0.6} roughness={0.4} />
      </mesh>
    </group>
  )
}
