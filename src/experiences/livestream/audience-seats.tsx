import { useLayoutEffect, useRef } from 'react'
import { Euler, Matrix4, Quaternion, Vector3, type InstancedMesh } from 'three'
import { SEAT_COUNT, seatPlacement } from '../../core/venue/seating'

/** Seat cushion height and size (a low stool; the seated eye is ~1.2 m). */
const SEAT_HEIGHT_M = 0.45

/**
 * The livestream room's audience area: one stool per seat of `seating.ts`, in rows on arcs facing
 * the stage. One instanced draw; matrices are written once (the seats never move).
 */
export function AudienceSeats() {
  const seats = useRef<InstancedMesh>(null)
  useLayoutEffect(() => {
    const mesh = seats.current
    if (!mesh) return
    const place = { x: 0, z: 0, yaw: 0, row: 0 }
    const m = new Matrix4()
    const q = new Quaternion()
    const e = new Euler()
    const p = new Vector3()
    const s = new Vector3(1, 1, 1)
    for (let i = 0; i < SEAT_COUNT; i++) {
      seatPlacement(i, place)
      p.set(place.x, SEAT_HEIGHT_M / 2, place.z)
      q.setFromEuler(e.set(0, place.yaw, 0))
      mesh.setMatrixAt(i, m.compose(p, q, s))
    }
    mesh.instanceMatrix.needsUpdate = true
    mesh.computeBoundingSphere()
  }, [])
  return (
    <instancedMesh ref={seats} args={[undefined, undefined, SEAT_COUNT]} name="audience-seats">
      <cylinderGeometry args={[0.22, 0.18, SEAT_HEIGHT_M, 12]} />
      <meshStandardMaterial color="#3a3f5c" roughness={0.7} />
    </instancedMesh>
  )
}
