/**
 * Virtual broadcast cameras ("rigs"): where each camera stands, what it looks at and its field of
 * view, updated once per frame from the subject (the host's head) with no allocation. The studio
 * conventions of LIV, VSeeFace and the Hubs camera: a wide shot, a medium shot, a close-up that
 * keeps the face framed, a smoothed first-person view (the wearer's eyes without head shake) and a
 * slow orbit. Rigs are plain data, so a camera programme can be stored, replayed and re-shot.
 *
 * Time comes in as seconds of simulation time (never the wall clock), so a re-render of a recorded
 * take moves every camera exactly as the live show did.
 */
import { copyVec3, createDampedVec3, createVec3, updateDampedVec3, type DampedVec3, type Vec3 } from './smoothing'

/** A camera pose: eye position, the point looked at, vertical field of view in degrees. */
export interface CameraPose {
  readonly position: Vec3
  readonly target: Vec3
  fov: number
}

/** What the cameras follow: the performer's head and where it faces (unit vector). */
export interface CameraSubject {
  readonly head: Vec3
  readonly forward: Vec3
}

type Tuple3 = readonly [number, number, number]

/** A camera that stands still and looks at a fixed point. */
export interface FixedRigSpec {
  kind: 'fixed'
  position: Tuple3
  target: Tuple3
  fov: number
}

/** A camera that stands still and keeps the subject's head framed (smoothed pan and tilt). */
export interface TrackingRigSpec {
  kind: 'tracking'
  position: Tuple3
  /** Added to the head position to get the aim point (e.g. a little below the eyes). */
  aimOffset: Tuple3
  fov: number
  /** Critically damped smoothing time of the aim, s. */
  smoothTime: number
}

/** The performer's own view, smoothed: no head shake, no roll. */
export interface FirstPersonRigSpec {
  kind: 'first-person'
  fov: number
  /** Smoothing time of the eye position, s. */
  smoothTime: number
  /** Smoothing time of the look point (longer than the eye: looks glide), s. */
  lookSmoothTime: number
  /** Distance of the look point along the facing direction, m. */
  lookDistance: number
  /** The eye sits this far in front of the head point, m (clear of the face and hair). */
  eyeForward: number
}

/** A camera that swings along an arc around a centre, looking at a point (a slow orbit/dolly). */
export interface OrbitRigSpec {
  kind: 'orbit'
  centre: Tuple3
  radius: number
  height: number
  /** Angle of the middle of the arc around +Y, radians; 0 is on +Z. */
  midAngle: number
  /** Half the arc, radians. */
  sweep: number
  /** Seconds for one full swing there and back. */
  period: number
  /** The point looked at; with `followSubject` the head plus this offset. */
  target: Tuple3
  followSubject: boolean
  fov: number
  smoothTime: number
}

/** Any rig. */
export type RigSpec = FixedRigSpec | TrackingRigSpec | FirstPersonRigSpec | OrbitRigSpec

/** A named camera of a studio. */
export interface CameraSpec {
  /** Stable id (used in camera programmes, events and the snapshot). */
  id: string
  label: { zh: string; en: string }
  rig: RigSpec
}

/** A rig's running state: its spec, its smoothing memory and this frame's pose. */
export interface CameraRig {
  readonly spec: CameraSpec
  readonly pose: CameraPose
  readonly eye: DampedVec3
  readonly look: DampedVec3
  readonly scratch: Vec3
}

/** Creates a pose. */
export function createCameraPose(): CameraPose {
  return { position: createVec3(), target: createVec3(0, 0, -1), fov: 40 }
}

/** Copies a pose. */
export function copyCameraPose(to: CameraPose, from: CameraPose): CameraPose {
  copyVec3(to.position, from.position)
  copyVec3(to.target, from.target)
  to.fov = from.fov
  return to
}

/** Creates the running state of one camera. */
export function createCameraRig(spec: CameraSpec): CameraRig {
  validateRigSpec(spec)
  return { spec, pose: createCameraPose(), eye: createDampedVec3(), look: createDampedVec3(), scratch: createVec3() }
}

function set(v: Vec3, t: Tuple3): Vec3 {
  v.x = t[0]
  v.y = t[1]
  v.z = t[2]
  return v
}

/**
 * Moves a rig to this frame: `dt` seconds since the last update, `time` seconds of simulation time
 * (for paths). No allocation.
 */
export function updateCameraRig(rig: CameraRig, subject: CameraSubject, dt: number, time: number): CameraPose {
  const { rig: spec } = rig.spec
  const pose = rig.pose
  const s = rig.scratch
  switch (spec.kind) {
    case 'fixed':
      set(pose.position, spec.position)
      set(pose.target, spec.target)
      break
    case 'tracking':
      set(pose.position, spec.position)
      s.x = subject.head.x + spec.aimOffset[0]
      s.y = subject.head.y + spec.aimOffset[1]
      s.z = subject.head.z + spec.aimOffset[2]
      updateDampedVec3(rig.look, s, spec.smoothTime, dt, pose.target)
      break
    case 'first-person': {
      // Level the facing direction: a broadcast horizon does not roll or pitch with every nod.
      let fx = subject.forward.x
      let fz = subject.forward.z
      const len = Math.hypot(fx, fz)
      if (len > 1e-6) {
        fx /= len
        fz /= len
      } else {
        fx = 0
        fz = -1
      }
      s.x = subject.head.x + fx * spec.eyeForward
      s.y = subject.head.y
      s.z = subject.head.z + fz * spec.eyeForward
      updateDampedVec3(rig.eye, s, spec.smoothTime, dt, pose.position)
      s.x = subject.head.x + fx * spec.lookDistance
      s.y = subject.head.y + subject.forward.y * spec.lookDistance * 0.5
      s.z = subject.head.z + fz * spec.lookDistance
      updateDampedVec3(rig.look, s, spec.lookSmoothTime, dt, pose.target)
      break
    }
    case 'orbit': {
      // A sine swing: slow at the ends, like a dolly that eases in and out.
      const angle = spec.midAngle + spec.sweep * Math.sin((2 * Math.PI * time) / spec.period)
      s.x = spec.centre[0] + Math.sin(angle) * spec.radius
      s.y = spec.height
      s.z = spec.centre[2] + Math.cos(angle) * spec.radius
      copyVec3(pose.position, s)
      if (spec.followSubject) {
        s.x = subject.head.x + spec.target[0]
        s.y = subject.head.y + spec.target[1]
        s.z = subject.head.z + spec.target[2]
        updateDampedVec3(rig.look, s, spec.smoothTime, dt, pose.target)
      } else {
        set(pose.target, spec.target)
      }
      break
    }
  }
  pose.fov = spec.fov
  return pose
}

/** Smoothstep easing (zero speed at both ends). */
export function easeInOut(t: number): number {
  const c = t < 0 ? 0 : t > 1 ? 1 : t
  return c * c * (3 - 2 * c)
}

/** Interpolates two poses (position, look point and fov) into `out`; `t` 0 → a, 1 → b. */
export function blendCameraPoses(out: CameraPose, a: CameraPose, b: CameraPose, t: number): CameraPose {
  const u = 1 - t
  out.position.x = a.position.x * u + b.position.x * t
  out.position.y = a.position.y * u + b.position.y * t
  out.position.z = a.position.z * u + b.position.z * t
  out.target.x = a.target.x * u + b.target.x * t
  out.target.y = a.target.y * u + b.target.y * t
  out.target.z = a.target.z * u + b.target.z * t
  out.fov = a.fov * u + b.fov * t
  return out
}

/** Throws a RangeError naming the camera and field when a spec cannot work. */
export function validateRigSpec(spec: CameraSpec): void {
  const r = spec.rig
  const fail = (what: string) => {
    throw new RangeError(`camera "${spec.id}": ${what}`)
  }
  if (!/^[a-z0-9-]{1,32}$/.test(spec.id)) fail('id must be 1–32 lowercase letters, digits or dashes')
  if (!(r.fov > 1 && r.fov < 170)) fail(`fov ${r.fov} must be between 1 and 170 degrees`)
  if ((r.kind === 'tracking' || r.kind === 'orbit') && !(r.smoothTime >= 0)) fail('smoothTime must be >= 0')
  if (r.kind === 'first-person' && !(r.smoothTime >= 0 && r.lookSmoothTime >= 0 && r.lookDistance > 0 && r.eyeForward >= 0)) fail('smoothing times and eyeForward must be >= 0 and lookDistance > 0')
  if (r.kind === 'orbit' && !(r.radius > 0 && r.period > 0)) fail('radius and period must be > 0')
}
