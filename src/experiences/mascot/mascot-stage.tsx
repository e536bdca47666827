import type { ReactNode, RefObject } from 'react'
import { Vector3, type AmbientLight, type DirectionalLight, type Group } from 'three'
import { STAGE_AMBIENT, STAGE_SUN } from './mascot-levers'

/** Where Xiaoguan stands on the virtual stage (desktop and VR). */
export const STAGE = new Vector3(0, 0.55, -1.3)

/** The stage's parts the detail levers act on (see useDetailLevers in mascot-experience.tsx). */
export interface MascotStageRefs {
  /** The group whose standard materials get a Lambert twin. */
  detailRoot: RefObject<Group | null>
  ambient: RefObject<AmbientLight | null>
  sun: RefObject<DirectionalLight | null>
}

/**
 * Xiaoguan's virtual stage: the background, the two lights, a floor and a round pedestal with a
 * golden rim. `show` false (AR, or the rear-camera photo mode) keeps the lights and `children`
 * (Xiaoguan) and drops the rest, so the camera picture shows behind.
 */
export function MascotStage({ show, refs, children }: { show: boolean; refs: MascotStageRefs; children: ReactNode }) {
  return (
    <>
      {show && <color attach="background" args={['#0c1424']} />}
      <ambientLight ref={refs.ambient} intensity={STAGE_AMBIENT} />
      <directionalLight ref={refs.sun} position={[1, 3, 2]} intensity={STAGE_SUN} />
      <group ref={refs.detailRoot} name="mascot-detail">
        {show && (
          <>
            <mesh rotation={[-Math.PI / 2, 0, 0]}>
              <circleGeometry args={[6, 48]} />
              <meshStandardMaterial color="#1b2a40" />
            </mesh>
            {/* A round pedestal with a golden rim, Xiaoguan's stage. */}
            <mesh position={[STAGE.x, STAGE.y / 2, STAGE.z]}>
              <cylinderGeometry args={[0.32, 0.38, STAGE.y, 40]} />
              <meshStandardMaterial color="#24365a" roughness={0.5} />
            </mesh>
            <mesh position={[STAGE.x, STAGE.y + 0.004, STAGE.z]} rotation={[-Math.PI / 2, 0, 0]}>
              <ringGeometry args={[0.27, 0.32, 48]} />
              <meshBasicMaterial color="#ffc94f" toneMapped={false} />
            </mesh>
          </>
        )}
        {children}
      </group>
    </>
  )
}
