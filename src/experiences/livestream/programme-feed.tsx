import { VRMFirstPerson } from '@pixiv/three-vrm'
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { Vector3 } from 'three'
import { STUDIO_CAMERAS } from '../../core/broadcast/studio-cameras'
import type { AvatarRig } from '../../scene/avatar/avatar-rig'
import { createProgramme, disposeProgramme, type Programme } from '../../runtime/broadcast/programme'

/**
 * The livestream room's programme: the five studio cameras (src/core/broadcast/studio-cameras.ts)
 * on the app's renderer. The audience cameras see the whole host (three-vrm's third-person layer);
 * the first-person camera hides the head like the wearer's own eyes.
 */
export function useStudioProgramme(): Programme {
  const gl = useThree((s) => s.gl)
  const programme = useMemo(
    () =>
      createProgramme(gl, STUDIO_CAMERAS, {
        thirdPerson: VRMFirstPerson.DEFAULT_THIRDPERSON_ONLY_LAYER,
        firstPerson: VRMFirstPerson.DEFAULT_FIRSTPERSON_ONLY_LAYER,
      }),
    [gl],
  )
  useEffect(() => () => disposeProgramme(programme), [programme])
  return programme
}

const headPosition = new Vector3()
const headForward = new Vector3()

/** Writes the host's head (world position and facing) into the camera subject. No allocation. */
export function fillSubjectFromRig(subject: Programme['subject'], rig: AvatarRig | null): void {
  const head = rig?.vrm.humanoid.getNormalizedBoneNode('head')
  if (!head) return
  head.getWorldPosition(headPosition)
  // A VRM faces +Z in its own space: the head's world +Z axis is where the host looks.
  head.getWorldDirection(headForward)
  subject.head.x = headPosition.x
  // The head bone sits at the top of the neck; the eyes are a few centimetres higher.
  subject.head.y = headPosition.y + 0.07
  subject.head.z = headPosition.z
  subject.forward.x = headForward.x
  subject.forward.y = headForward.y
  subject.forward.z = headForward.z
}
