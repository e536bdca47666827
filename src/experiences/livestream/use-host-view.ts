import { VRMFirstPerson } from '@pixiv/three-vrm'
import { useEffect, useLayoutEffect, useMemo, useState } from 'react'
import type { Camera } from 'three'
import { seatPlacement, type SeatPlacement } from '../../core/venue/seating'
import type { VenueLink } from '../../scene/venue/venue-context'
import type { HostState } from './host-state'
import { STAGE_TOP } from './studio'

/** Desktop camera placements: a 3/4 studio view, and over the host's shoulder toward the monitor. */
type Vec3 = [number, number, number]
const VIEWS: Record<'audience' | 'monitor', { position: Vec3; lookAt: Vec3 }> = {
  audience: { position: [1.9, 1.75, 3.0], lookAt: [0, 1.2, 0] },
  monitor: { position: [0.45, 2.05, -1.35], lookAt: [0, 1.75, 3.2] },
}
/** Seated eye height of an audience member on a flat screen. */
const SEATED_EYE_M = 1.2

/**
 * The shared room: the first visitor holds the stage (today's host), the others are the audience,
 * seated by the server; their copy of the host follows the host over the network. Returns this
 * visitor's seat, or null on stage (or with no room); keeps `host.audience` in step and starts the
 * face stream afresh whenever the stage changes hands.
 */
export function useAudienceSeat(venue: VenueLink | null, host: HostState): SeatPlacement | null {
  const [seat, setSeat] = useState<number | null>(null)
  useEffect(() => {
    if (!venue) return
    const c = venue.connection
    const update = () => setSeat(c.state === 'online' && c.snapshot().role === 'audience' ? c.seat() : null)
    update()
    return venue.onPeersChanged(update)
  }, [venue])
  const audienceSeat = useMemo(() => (seat === null ? null : seatPlacement(Math.max(0, seat), { x: 0, z: 0, yaw: 0, row: 0 })), [seat])
  host.audience = audienceSeat !== null
  useEffect(() => {
    // A new stage holder (or back to it) starts the face stream afresh.
    host.faceSender.reset()
    host.remoteFace.reset()
  }, [host, audienceSeat])
  return audienceSeat
}

/**
 * The visitor's own eyes: in VR on stage the wearer never sees their own head from inside
 * (three-vrm's first-person layers; everyone else sees the whole host). On a flat screen the
 * camera stands at one of the two studio views, or at the visitor's seat in the audience.
 */
export function useHostView(camera: Camera, inSession: boolean, view: 'audience' | 'monitor', audienceSeat: SeatPlacement | null): void {
  useEffect(() => {
    const first = VRMFirstPerson.DEFAULT_FIRSTPERSON_ONLY_LAYER
    const third = VRMFirstPerson.DEFAULT_THIRDPERSON_ONLY_LAYER
    // XR eye cameras inherit the default camera's layers when a session renders.
    if (inSession && !audienceSeat) {
      camera.layers.enable(first)
      camera.layers.disable(third)
    } else {
      camera.layers.enable(third)
      camera.layers.disable(first)
    }
    return () => {
      camera.layers.disable(first)
      camera.layers.disable(third)
    }
  }, [camera, inSession, audienceSeat])

  useLayoutEffect(() => {
    if (audienceSeat) {
      // The audience watches from its seat, at seated eye height, toward the host.
      camera.position.set(audienceSeat.x, SEATED_EYE_M, audienceSeat.z)
      camera.lookAt(0, STAGE_TOP + 1.3, 0)
    } else {
      const v = VIEWS[view]
      camera.position.set(...v.position)
      camera.lookAt(...v.lookAt)
    }
    camera.updateMatrixWorld()
  }, [camera, view, audienceSeat])
}
