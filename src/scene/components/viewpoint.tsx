import { useThree } from '@react-three/fiber'
import { XROrigin } from '@react-three/xr'
import { useLayoutEffect } from 'react'

/** Eye height of the desktop preview camera, in metres. */
const EYE_HEIGHT = 1.6

/**
 * Where the visitor stands in an experience: the XR origin in a session, and the desktop camera
 * (at eye height, looking toward `lookAt`) outside one.
 */
export function Viewpoint({ position, lookAt }: { position: [number, number, number]; lookAt: [number, number, number] }) {
  const camera = useThree((s) => s.camera)
  const [x, y, z] = position
  const [lx, ly, lz] = lookAt
  useLayoutEffect(() => {
    camera.position.set(x, y + EYE_HEIGHT, z)
    camera.lookAt(lx, ly, lz)
    camera.updateMatrixWorld()
  }, [camera, x, y, z, lx, ly, lz])
  return <XROrigin position={position} />
}
