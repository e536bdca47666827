import type { VRM } from '@pixiv/three-vrm'
import { useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { createAvatarDetailLever, createMergedAvatarMeshes } from '../../scene/avatar/avatar-merge'
import { useLingjing } from '../../scene/lingjing-context'

/**
 * The host avatar's 'avatar-detail' lever (scene/avatar/avatar-merge.ts): the merged meshes are
 * built when the avatar is shown, their shader compiled, and only then is the lever registered,
 * so the governor's first drop compiles nothing inside a frame. A new avatar builds them again;
 * the old ones are removed and freed.
 */
export function useAvatarDetail(vrm: VRM): void {
  const { frame, diagnostics } = useLingjing()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  useEffect(() => {
    const merged = createMergedAvatarMeshes(vrm.scene)
    let remove: (() => void) | null = null
    let gone = false
    if (merged.merged.length > 0) {
      // compileAsync compiles what is visible: the merged meshes are shown for the call only.
      merged.setMerged(true)
      const compiling = gl.compileAsync(vrm.scene, camera, scene)
      merged.setMerged(false)
      compiling.then(
        () => {
          if (!gone) remove = frame.addScaler(createAvatarDetailLever(merged))
        },
        (error: unknown) => diagnostics.reportError(`precompile avatar-detail: ${String(error)}`),
      )
    }
    return () => {
      gone = true
      remove?.()
      merged.dispose()
    }
  }, [vrm, gl, scene, camera, frame, diagnostics])
}
