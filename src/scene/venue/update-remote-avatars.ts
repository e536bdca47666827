import { BufferGeometry, Color, CylinderGeometry, IcosahedronGeometry, InstancedMesh, Matrix4, Quaternion, Vector3, type Sprite } from 'three'
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js'
import { LOD_FULL, LOD_LOW, MAX_FULL_AVATARS, createAvatarLod, updateAvatarLod, type AvatarLod } from '../../core/venue/avatar-lod'
import { POSE_LENGTH } from '../../core/venue/pose'
import { createRemoteArm, solveRemoteArm, type RemoteArm } from '../../core/venue/remote-arms'
import type { RemotePoseBuffer } from '../../core/venue/remote-poses'
import { MAX_PEERS, type VenuePeer } from '../../runtime/venue/venue-connection'
import { avatarIndex } from './avatar-features'

/** Playout delay: render remote poses this far in the past so two 20 Hz samples surround it. */
export const PLAYOUT_DELAY_MS = 100

/** Name tag height above the head's centre, metres. */
const TAG_ABOVE_M = 0.28
/** The body hangs this far below the head (full avatar and stand-in alike). */
const BODY_BELOW_M = 0.45

/** The instanced meshes the remote visitors are drawn with (null until mounted). */
export interface RemoteAvatarMeshes {
  heads: InstancedMesh | null
  bodies: InstancedMesh | null
  hands: InstancedMesh | null
  /** One per body kind (avatar-features.ts), in VENUE_AVATARS order. */
  features: (InstancedMesh | null)[]
  /** Low-detail stand-ins: head and body in one geometry, one draw for all. */
  low: InstancedMesh | null
  /** Arm segments (upper arm, forearm; {@link ARM_SEGMENTS_PER_AVATAR} per full visitor): a unit cylinder along +Y. */
  arms: InstancedMesh | null
}

/** Upper arm and forearm of both arms. */
export const ARM_SEGMENTS_PER_AVATAR = 4

/** What one frame's fill needs; the caller mutates it in place (no allocation per frame). */
export interface RemoteAvatarFrame {
  /** The connection's peer list (an array: the frame walks it without an iterator). */
  peers: readonly VenuePeer[]
  poses: RemotePoseBuffer
  /** Local time the poses are sampled at (already minus the playout delay). */
  renderTimeMs: number
  /** The frame counter (the stand-ins' update rate counts frames, not time). */
  frame: number
  /** The `remote-avatars` lever's level. */
  level: number
  /** The viewer's head in the world (the distance LOD measures from it). */
  viewerX: number
  viewerY: number
  viewerZ: number
  /** Livestream room: the host is drawn as their VRM on stage, not here. */
  skipHost: boolean
}

/** State of the per-frame fill: the LOD decision and preallocated scratch. */
export interface RemoteAvatarDrawer {
  readonly lod: AvatarLod
  readonly frameInput: RemoteAvatarFrame
}

interface DrawerScratch extends RemoteAvatarDrawer {
  entries: (VenuePeer | null)[]
  /** Each entry's sampled pose, `POSE_LENGTH` floats at `i * POSE_LENGTH`. */
  poses: Float32Array
  pose: Float32Array
  /** Which peer slot each instance shows (recoloured when it changes); -1 none. */
  fullSlots: Int32Array
  lowSlots: Int32Array
  featureCounts: Int32Array
  m: Matrix4
  p: Vector3
  q: Quaternion
  s: Vector3
  c: Color
  arm: RemoteArm
  up: Vector3
}

/** Creates the fill's state for up to {@link MAX_PEERS} visitors with `featureKinds` body kinds. */
export function createRemoteAvatarDrawer(featureKinds: number, poses: RemotePoseBuffer, peers: readonly VenuePeer[]): RemoteAvatarDrawer {
  const drawer: DrawerScratch = {
    lod: createAvatarLod(MAX_PEERS, poses.capacity),
    frameInput: { peers, poses, renderTimeMs: 0, frame: 0, level: 0, viewerX: 0, viewerY: 0, viewerZ: 0, skipHost: false },
    entries: new Array<VenuePeer | null>(MAX_PEERS).fill(null),
    poses: new Float32Array(MAX_PEERS * POSE_LENGTH),
    pose: new Float32Array(POSE_LENGTH),
    fullSlots: new Int32Array(MAX_FULL_AVATARS).fill(-1),
    lowSlots: new Int32Array(MAX_PEERS).fill(-1),
    featureCounts: new Int32Array(featureKinds),
    m: new Matrix4(),
    p: new Vector3(),
    q: new Quaternion(),
    s: new Vector3(),
    c: new Color(),
    arm: createRemoteArm(),
    up: new Vector3(0, 1, 0),
  }
  return drawer
}

/** Forgets which visitor each instance shows (peers came or went: slots may be someone else's now). */
export function resetRemoteAvatarColours(drawer: RemoteAvatarDrawer): void {
  const d = drawer as DrawerScratch
  d.fullSlots.fill(-1)
  d.lowSlots.fill(-1)
}

/**
 * The stand-in's geometry: a low-poly head (20 faces) and a six-sided body in one non-indexed
 * geometry, so every low-detail visitor is one instance of one draw (the caller disposes it).
 */
export function createLowAvatarGeometry(): BufferGeometry {
  const head = new IcosahedronGeometry(0.12, 0)
  const body = new CylinderGeometry(0.13, 0.16, 0.8, 6, 1).translate(0, -BODY_BELOW_M - 0.02, 0)
  const bodyFlat = body.toNonIndexed()
  body.dispose()
  const geometry = mergeGeometries([head, bodyFlat], false)
  head.dispose()
  bodyFlat.dispose()
  if (!geometry) throw new Error('low avatar: head and body could not be merged')
  return geometry
}

/** Writes arm segment `index` from `from` to `to`: the unit cylinder stretched and turned onto the bone. */
function setSegment(d: DrawerScratch, arms: InstancedMesh, index: number, from: Vector3, to: Vector3): void {
  const { p, q, s, m } = d
  p.addVectors(from, to).multiplyScalar(0.5)
  s.subVectors(to, from)
  const length = s.length()
  q.setFromUnitVectors(d.up, length > 1e-6 ? s.divideScalar(length) : d.up)
  s.set(1, length, 1)
  arms.setMatrixAt(index, m.compose(p, q, s))
}

/**
 * The frame's fill (input phase, after the poses are polled): samples every peer's pose, decides
 * full / low / not drawn (`updateAvatarLod`), writes the full avatars' matrices every frame and the
 * stand-ins' when due (the level's rate, or who is low changed), and places the name tags the LOD
 * allows. Colours are written only when who is drawn in which instance changes. Allocates nothing.
 */
export function updateRemoteAvatars(drawer: RemoteAvatarDrawer, meshes: RemoteAvatarMeshes, tags: ReadonlyMap<number, Sprite>): void {
  const d = drawer as DrawerScratch
  const { lod, entries, poses: sampled, pose, m, p, q, s, c, featureCounts } = d
  const input = d.frameInput
  const { heads: h, bodies: b, hands: k, low, arms } = meshes
  // 1. Sample and measure each peer.
  let n = 0
  for (let e = 0; e < input.peers.length && n < lod.capacity; e++) {
    const peer = input.peers[e]
    entries[n] = peer
    lod.key[n] = peer.slot
    const has = !(input.skipHost && peer.role === 'host') && input.poses.sample(peer.slot, input.renderTimeMs, pose)
    lod.eligible[n] = has ? 1 : 0
    if (has) {
      sampled.set(pose, n * POSE_LENGTH)
      lod.distance[n] = Math.hypot(pose[0] - input.viewerX, pose[1] - input.viewerY, pose[2] - input.viewerZ)
    }
    n++
  }
  for (let i = n; i < entries.length && entries[i] !== null; i++) entries[i] = null
  lod.count = n
  // 2. Decide.
  updateAvatarLod(lod, input.level, input.frame)
  if (!h || !b || !k || !low) return
  // 3. Full avatars, every frame.
  featureCounts.fill(0)
  let fi = 0
  let li = 0
  let ai = 0
  for (let i = 0; i < n; i++) {
    const peer = entries[i]!
    const detail = lod.detail[i]
    const tag = tags.get(peer.slot)
    const o = i * POSE_LENGTH
    if (tag) {
      const show = lod.tag[i] === 1
      // A stand-in's tag moves at the stand-in's rate (or when it appears), a full one's every frame.
      if (show && (detail === LOD_FULL || lod.lowDue || !tag.visible)) tag.position.set(sampled[o], sampled[o + 1] + TAG_ABOVE_M, sampled[o + 2])
      tag.visible = show
    }
    if (detail === LOD_LOW) {
      if (lod.lowDue) {
        if (d.lowSlots[li] !== peer.slot) {
          d.lowSlots[li] = peer.slot
          low.setColorAt(li, c.set(peer.colour))
          low.instanceColor!.needsUpdate = true
        }
        // Upright, turned to the head's yaw (the stand-in has no neck to tilt).
        const qx = sampled[o + 3]
        const qy = sampled[o + 4]
        const qz = sampled[o + 5]
        const qw = sampled[o + 6]
        const yaw = Math.atan2(2 * (qw * qy + qx * qz), 1 - 2 * (qy * qy + qx * qx))
        p.set(sampled[o], sampled[o + 1], sampled[o + 2])
        q.set(0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2))
        s.set(1, 1, 1)
        low.setMatrixAt(li, m.compose(p, q, s))
      }
      li++
      continue
    }
    if (detail !== LOD_FULL) continue
    if (d.fullSlots[fi] !== peer.slot) {
      // A different visitor in this instance: recolour (only when who is drawn where changes).
      d.fullSlots[fi] = peer.slot
      c.set(peer.colour)
      h.setColorAt(fi, c)
      b.setColorAt(fi, c)
      k.setColorAt(fi * 2, c)
      k.setColorAt(fi * 2 + 1, c)
      if (arms) for (let a = 0; a < ARM_SEGMENTS_PER_AVATAR; a++) arms.setColorAt(fi * ARM_SEGMENTS_PER_AVATAR + a, c)
      h.instanceColor!.needsUpdate = true
      b.instanceColor!.needsUpdate = true
      k.instanceColor!.needsUpdate = true
      if (arms) arms.instanceColor!.needsUpdate = true
    }
    p.set(sampled[o], sampled[o + 1], sampled[o + 2])
    q.set(sampled[o + 3], sampled[o + 4], sampled[o + 5], sampled[o + 6])
    s.set(1, 1, 1)
    h.setMatrixAt(fi, m.compose(p, q, s))
    const kind = avatarIndex(peer.avatar)
    meshes.features[kind]?.setMatrixAt(featureCounts[kind]++, m)
    // The body hangs below the head, upright (only the head's yaw would matter; kept simple).
    p.y -= BODY_BELOW_M
    q.identity()
    b.setMatrixAt(fi, m.compose(p, q, s))
    for (let hand = 0; hand < 2; hand++) {
      const ho = o + 7 + hand * 7
      const tracked = lod.hands && (sampled[ho + 3] !== 0 || sampled[ho + 4] !== 0 || sampled[ho + 5] !== 0 || sampled[ho + 6] !== 0)
      p.set(sampled[ho], sampled[ho + 1], sampled[ho + 2])
      q.set(sampled[ho + 3], sampled[ho + 4], sampled[ho + 5], sampled[ho + 6])
      s.setScalar(tracked ? 1 : 0)
      if (!tracked) q.identity()
      k.setMatrixAt(fi * 2 + hand, m.compose(p, q, s))
      // The arm to a tracked hand: shoulder from the head's yaw, elbow by two-bone IK.
      if (arms && tracked && lod.arms && solveRemoteArm(sampled, hand as 0 | 1, d.arm, o)) {
        setSegment(d, arms, ai++, d.arm.shoulder, d.arm.elbow)
        setSegment(d, arms, ai++, d.arm.elbow, d.arm.hand)
      }
    }
    fi++
  }
  h.count = fi
  b.count = fi
  k.count = fi * 2
  h.instanceMatrix.needsUpdate = true
  b.instanceMatrix.needsUpdate = true
  k.instanceMatrix.needsUpdate = true
  if (arms) {
    arms.count = ai
    arms.visible = ai > 0
    arms.instanceMatrix.needsUpdate = true
  }
  for (let f = 0; f < featureCounts.length; f++) {
    const mesh = meshes.features[f]
    if (!mesh) continue
    mesh.count = featureCounts[f]
    mesh.visible = featureCounts[f] > 0
    mesh.instanceMatrix.needsUpdate = true
  }
  // 4. Stand-ins: uploaded only on the frames they were written.
  if (lod.lowDue) {
    low.count = li
    low.visible = li > 0
    low.instanceMatrix.needsUpdate = true
  }
}
