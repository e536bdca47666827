import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { Euler, Frustum, Matrix4, PerspectiveCamera, Quaternion, Vector3, type Group, type Object3D } from 'three'
import { GROUP_PHOTO_COUNTDOWN_S, XIAOGUAN_ID, countdownLine, layoutGroupPhoto, slotOf, type GroupArrangement, type GroupPhotoState } from '../../core/venue/group-photo'
import type { Bilingual } from '../../core/i18n/strings'
import { GROUP_PHOTO_EVENT, decodeGroupPhotoEvent, encodeGroupPhotoEvent } from '../../core/venue/group-photo-events'
import { POSE_LENGTH } from '../../core/venue/pose'
import { downloadBlob } from '../../runtime/app/download'
import { useLingjing } from '../../scene/lingjing-context'
import { useFrameSystem } from '../../scene/frame/use-frame-system'
import { useVenue } from '../../scene/venue/venue-context'
import { PLAYOUT_DELAY_MS } from '../../scene/venue/venue-presence'
import { composePhoto, renderPhotoLayer } from './photo'
import type { XiaoguanRig } from './xiaoguan-rig'

/** The group photo's size (16:9, like the hub's screens; the layout fits its camera to it). */
const PHOTO_W = 1280
const PHOTO_H = 720
/** This visitor's id when there is no room (offline, a replay): the photo is then Xiaoguan and them. */
const SELF_OFFLINE_ID = 'self'
/** Desktop eye height, as the hub's Viewpoint has it. */
const EYE_HEIGHT = 1.6

/** The last group photo taken here (by this visitor). */
export interface GroupPhotoShot {
  seq: number
  /** Ids whose head is inside the photo camera's frustum when the shutter fired (self, peers, Xiaoguan). */
  inFrame: string[]
  /** Ids present then (this visitor, the room's peers, Xiaoguan). */
  present: string[]
  width: number
  height: number
  bytes: number
  fileName: string
}

/** `snapshot().groupPhoto`. */
export interface GroupPhotoSnapshot {
  phase: 'idle' | 'countdown' | 'shutter'
  /** The photo running or last run (0 before any), who asked, seconds left. */
  seq: number
  by: string
  left: number
  /** True when the countdown runs on this page alone (no room: offline, replay). */
  local: boolean
  /** Ids in the arrangement's slots (sorted), and this visitor's slot (x, z) while gathered. */
  arrangement: string[]
  selfSlot: [number, number] | null
  /** Photos this visitor took (downloaded) in this visit, and the last one. */
  taken: number
  last: GroupPhotoShot | null
}

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Xiaoguan's group photo in the hub: the countdown, the arrangement, and the last photo taken here. */
    groupPhoto?: GroupPhotoSnapshot
  }
}

/** What the hub guide gets: a way to ask, and whether one is running (to hide its buttons). */
export interface GroupPhoto {
  request(): void
  running: boolean
  /** A stand-in body for this visitor (first person has none), shown only while the photo renders. */
  selfBody: RefObject<Group | null>
}

interface Running extends GroupPhotoState {
  local: boolean
}

/**
 * Xiaoguan's group photo in the hub (issue 18). Asking sends `photo` to the room; the server's
 * countdown reaches every visitor through the room state (a late joiner sees it too), each client
 * puts its own visitor (the XR origin, or the desktop camera) in its slot of the shared
 * arrangement (`layoutGroupPhoto` over the ids present, so a leaver's gap closes), Xiaoguan flies
 * to the front and counts, and at the shutter the asker's client renders the scene from the
 * photo camera (with a stand-in body for its own visitor, who has none in first person) and
 * downloads the JPEG. Who was in frame is counted from that camera's frustum.
 * Offline (no room) the same runs on this page alone. A take records each countdown change as an
 * event, and its replay plays them at the same frames (a replay never asks, nor downloads).
 */
export function useGroupPhoto({ rig, say, hideInPhoto, home }: {
  rig: XiaoguanRig
  say(line: Bilingual, at: readonly [number, number, number]): void
  /** Left out of the picture (the guide's buttons, Xiaoguan's speech bubble): people, not panels. */
  hideInPhoto: readonly RefObject<Object3D | null>[]
  home: Vector3
}): GroupPhoto {
  const lj = useLingjing()
  const link = useVenue()
  const gl = useThree((s) => s.gl)
  const scene = useThree((s) => s.scene)
  const camera = useThree((s) => s.camera)
  const [running, setRunning] = useState(false)
  const stand = useMemo(() => ({ saved: null as null | { target: Object3D; position: Vector3; quaternion: Quaternion } }), [])
  const state = useRef<{ photo: Running | null; arrangement: GroupArrangement | null; shutterFor: number; localTimer: ReturnType<typeof setInterval> | null; localSeq: number; last: GroupPhotoShot | null; taken: number; lastKey: string; lastSeq: number }>({
    photo: null,
    arrangement: null,
    shutterFor: 0,
    localTimer: null,
    localSeq: 0,
    last: null,
    taken: 0,
    lastKey: '',
    lastSeq: 0,
  })
  const selfBody = useRef<Group>(null)
  const replaying = lj.options.replay != null
  const replayed = useMemo<GroupPhotoState[]>(() => [], [])

  const selfId = () => link?.connection.selfId() ?? SELF_OFFLINE_ID
  const presentIds = () => [selfId(), ...(link && !state.current.photo?.local ? link.connection.peers.keys() : [])]

  /** Where this visitor stands: the XR origin in a session, the desktop camera outside one. */
  const placeSelf = () => {
    const a = state.current.arrangement
    const slot = a && slotOf(a, selfId())
    if (!a || !slot) return
    const xr = gl.xr.isPresenting
    const target = xr ? gl.xr.getCamera().parent : camera
    if (!target) return
    if (!stand.saved) stand.saved = { target, position: target.position.clone(), quaternion: target.quaternion.clone() }
    if (xr) {
      target.position.set(slot.x, 0, slot.z)
      target.rotation.set(0, slot.yaw, 0)
    } else {
      target.position.set(slot.x, EYE_HEIGHT, slot.z)
      target.lookAt(a.camera.position[0], a.camera.position[1], a.camera.position[2])
    }
    target.updateMatrixWorld(true)
  }

  const restoreSelf = () => {
    const saved = stand.saved
    if (!saved) return
    saved.target.position.copy(saved.position)
    saved.target.quaternion.copy(saved.quaternion)
    saved.target.updateMatrixWorld(true)
    stand.saved = null
  }

  const arrange = () => {
    state.current.arrangement = layoutGroupPhoto(presentIds(), PHOTO_W / PHOTO_H)
    placeSelf()
  }

  /** One change of the countdown (from the room's state callbacks, or the local timer): never inside a frame. */
  const update = (p: Running) => {
    const key = `${p.seq}:${p.by}:${p.left}`
    if (key === state.current.lastKey) return // the three fields' callbacks fire for one patch
    state.current.lastKey = key
    const takes = lj.xrSessions
    if (!replaying && takes.recorder.recording) takes.recordEvent(GROUP_PHOTO_EVENT, encodeGroupPhotoEvent(p))
    // From a replay this runs inside the frame: React hears of it after the frame.
    const publish = (on: boolean) => (replaying ? setTimeout(() => setRunning(on), 0) : setRunning(on))
    const was = state.current.photo
    if (!p.by) {
      // Over (or cancelled: the asker left): everyone back where they were, Xiaoguan home.
      if (was) {
        state.current.photo = null
        state.current.arrangement = null
        restoreSelf()
        rig.flyTo(rig.root.position.clone(), home, { durationS: 1.5, onArrive: 'wave' })
        publish(false)
      }
      return
    }
    state.current.photo = p
    state.current.lastSeq = p.seq
    if (!was || was.seq !== p.seq) {
      arrange()
      const a = state.current.arrangement!
      rig.flyTo(rig.root.position.clone(), new Vector3().fromArray(a.xiaoguan), { durationS: 1.2, onArrive: 'photo-pose' })
      rig.pivot.rotation.y = Math.atan2(a.camera.position[0] - a.xiaoguan[0], a.camera.position[2] - a.xiaoguan[2])
      publish(true)
    }
    say(countdownLine(p.left, p.byName), state.current.arrangement!.xiaoguan)
    if (p.left === 0 && p.by === selfId() && !replaying) state.current.shutterFor = p.seq
  }

  useEffect(() => {
    if (!link) return
    const offPhoto = link.connection.onPhoto((p) => update({ ...p, local: false }))
    // Someone came or went mid-countdown: the arrangement closes the gap (or makes room).
    const offPeers = link.onPeersChanged(() => {
      if (state.current.photo && !state.current.photo.local) arrange()
    })
    // Joined with a photo running: gather at once.
    const now = link.connection.photo()
    if (now?.by) update({ ...now, local: false })
    return () => {
      offPhoto()
      offPeers()
    }
  }, [link])

  useEffect(
    () => () => {
      if (state.current.localTimer) clearInterval(state.current.localTimer)
      restoreSelf()
    },
    [],
  )

  // A replay plays the countdown its take recorded, at the frame it was recorded.
  useEffect(
    () =>
      lj.xrSessions.onReplayEvent((event) => {
        if (event.type !== GROUP_PHOTO_EVENT) return
        const p = decodeGroupPhotoEvent(event.data)
        if (p) replayed.push(p)
      }),
    [lj.xrSessions, replayed],
  )
  useFrameSystem('group-photo-replay', 'input', () => {
    for (let i = 0; i < replayed.length; i++) update({ ...replayed[i], local: true })
    replayed.length = 0
  })

  const request = () => {
    // In a replay the countdown comes from the take (its recorded press would start a second one).
    if (replaying) return
    const c = link?.connection
    if (c && c.state === 'online' && c.snapshot().room === 'venue') return c.requestPhoto()
    // No room (offline, a replay): Xiaoguan counts down on this page alone.
    if (state.current.photo) return
    const seq = ++state.current.localSeq
    let left = GROUP_PHOTO_COUNTDOWN_S
    const name = c?.profile()?.name ?? ''
    update({ seq, by: SELF_OFFLINE_ID, byName: name, left, local: true })
    state.current.localTimer = setInterval(() => {
      left--
      if (left >= 0) return update({ seq, by: SELF_OFFLINE_ID, byName: name, left, local: true })
      clearInterval(state.current.localTimer!)
      state.current.localTimer = null
      update({ seq, by: '', byName: name, left: 0, local: true })
    }, 1000)
  }

  // The shutter: after the frame's own render, like the mascot photo.
  const shot = useMemo(() => ({ cam: new PerspectiveCamera(), frustum: new Frustum(), m: new Matrix4(), v: new Vector3(), q: new Quaternion(), e: new Euler(), pose: new Float32Array(POSE_LENGTH), wasVisible: hideInPhoto.map(() => false) }), [hideInPhoto])
  useFrameSystem('group-photo', 'post', () => {
    const seq = state.current.shutterFor
    const a = state.current.arrangement
    if (!seq || !a) return
    state.current.shutterFor = 0
    const { cam, frustum, m, v, q, e, pose } = shot
    cam.fov = a.camera.fovDeg
    cam.aspect = PHOTO_W / PHOTO_H
    cam.near = 0.05
    cam.far = 500
    cam.updateProjectionMatrix()
    cam.position.fromArray(a.camera.position)
    cam.lookAt(a.camera.target[0], a.camera.target[1], a.camera.target[2])
    cam.updateMatrixWorld(true)
    frustum.setFromProjectionMatrix(m.multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse))
    // Who is in the picture: every head tested against the camera's frustum.
    const present: string[] = []
    const inFrame: string[] = []
    const test = (id: string, p: Vector3) => {
      present.push(id)
      if (frustum.containsPoint(p)) inFrame.push(id)
    }
    const head = gl.xr.isPresenting ? gl.xr.getCamera() : camera
    head.getWorldPosition(v)
    test(selfId(), v)
    const body = selfBody.current
    if (body) {
      body.position.copy(v)
      // Facing where the head faces (upright: only its yaw), so the body's feature faces the camera too.
      e.setFromQuaternion(head.getWorldQuaternion(q), 'YXZ')
      body.rotation.set(0, e.y, 0)
      body.visible = true
    }
    const c = link?.connection
    if (c && !state.current.photo?.local) {
      const now = performance.now()
      for (const peer of c.peers.values()) {
        if (!c.poses.sample(peer.slot, now - PLAYOUT_DELAY_MS, pose)) {
          present.push(peer.id) // no pose yet: present, but nowhere to be seen
          continue
        }
        test(peer.id, v.set(pose[0], pose[1], pose[2]))
      }
    }
    rig.root.getWorldPosition(v)
    test(XIAOGUAN_ID, v)
    for (let i = 0; i < hideInPhoto.length; i++) {
      const o = hideInPhoto[i].current
      shot.wasVisible[i] = o?.visible ?? false
      if (o) o.visible = false
    }
    const layer = renderPhotoLayer(gl, scene, cam, PHOTO_W, PHOTO_H)
    for (let i = 0; i < hideInPhoto.length; i++) {
      const o = hideInPhoto[i].current
      if (o) o.visible = shot.wasVisible[i]
    }
    if (body) body.visible = false
    const fileName = `lingjing-group-photo-${String(seq).padStart(3, '0')}.jpg`
    void composePhoto(layer, null)
      .then((blob) => {
        downloadBlob(blob, fileName)
        state.current.taken++
        state.current.last = { seq, inFrame, present, width: layer.width, height: layer.height, bytes: blob.size, fileName }
      })
      .catch((error: Error) => console.error('group photo failed', error))
  })

  useEffect(
    () =>
      lj.diagnostics.setSection('groupPhoto', (): GroupPhotoSnapshot => {
        const p = state.current.photo
        const a = state.current.arrangement
        const slot = a && slotOf(a, selfId())
        return {
          phase: !p ? 'idle' : p.left > 0 ? 'countdown' : 'shutter',
          seq: p?.seq ?? state.current.lastSeq,
          by: p?.by ?? '',
          left: p?.left ?? 0,
          local: p?.local ?? false,
          arrangement: a ? a.slots.map((s) => s.id) : [],
          selfSlot: slot ? [slot.x, slot.z] : null,
          taken: state.current.taken,
          last: state.current.last,
        }
      }),
    [lj.diagnostics, link],
  )

  return { request, running, selfBody }
}
