import { BoxGeometry, InstancedMesh, Matrix4, MeshBasicMaterial, Sprite, Vector3 } from 'three'
import { describe, expect, it } from 'vitest'
import { AVATAR_LOD_LEVELS } from '../../core/venue/avatar-lod'
import { POSE_LENGTH, quantisePose } from '../../core/venue/pose'
import { SHOULDER_DROP_M } from '../../core/venue/remote-arms'
import { createRemotePoseBuffer } from '../../core/venue/remote-poses'
import { VENUE_AVATARS } from '../../core/venue/visitor'
import type { VenuePeer } from '../../runtime/venue/venue-connection'
import { ARM_SEGMENTS_PER_AVATAR, createLowAvatarGeometry, createRemoteAvatarDrawer, updateRemoteAvatars, type RemoteAvatarMeshes } from './update-remote-avatars'

const TOP = AVATAR_LOD_LEVELS.length - 1

/** `n` peers in a row in front of the viewer (1 m, 1.1 m, ...), each with one pose at t = 0. */
function room(n: number, role: (i: number) => string = () => 'visitor') {
  const poses = createRemotePoseBuffer(100)
  const peers = new Map<string, VenuePeer>()
  const f = new Float32Array(POSE_LENGTH)
  const q = new Int16Array(POSE_LENGTH)
  for (let i = 0; i < n; i++) {
    const slot = 99 - i // slots are not entry indices
    peers.set(`p${i}`, { id: `p${i}`, name: `P${i}`, avatar: VENUE_AVATARS[i % VENUE_AVATARS.length], colour: '#3366ff', experience: 'venue', role: role(i), slot, seq: 0 } as VenuePeer)
    f.fill(0)
    f[1] = 1.6
    f[2] = -(1 + i * 0.1)
    f[6] = 1
    f[7 + 6] = 1 // left hand tracked, at the origin
    poses.push(slot, 0, quantisePose(f, q))
  }
  return { poses, peers }
}

function meshes(): RemoteAvatarMeshes {
  const g = new BoxGeometry()
  const m = new MeshBasicMaterial()
  const make = (n: number) => new InstancedMesh(g, m, n)
  return { heads: make(32), bodies: make(32), hands: make(64), features: VENUE_AVATARS.map(() => make(32)), low: new InstancedMesh(createLowAvatarGeometry(), m, 100), arms: make(32 * ARM_SEGMENTS_PER_AVATAR) }
}

describe('updateRemoteAvatars', () => {
  it('draws 30 visitors at the lowest level as 4 full and 26 stand-ins, with capped tags', () => {
    const { poses, peers } = room(30)
    const drawer = createRemoteAvatarDrawer(VENUE_AVATARS.length, poses, [...peers.values()])
    const ms = meshes()
    const tags = new Map<number, Sprite>()
    for (const p of peers.values()) tags.set(p.slot, new Sprite())
    Object.assign(drawer.frameInput, { renderTimeMs: 10, frame: 4, level: 0 })
    updateRemoteAvatars(drawer, ms, tags)
    expect(ms.heads!.count).toBe(4)
    expect(ms.bodies!.count).toBe(4)
    expect(ms.low!.count).toBe(26)
    expect(ms.low!.visible).toBe(true)
    expect(ms.features.reduce((a, f) => a + f!.count, 0)).toBe(4)
    // The nearest is full: instance 0 of the heads is at 1 m.
    const m = new Matrix4()
    ms.heads!.getMatrixAt(0, m)
    expect(new Vector3().setFromMatrixPosition(m).z).toBeCloseTo(-1, 3)
    // Hands are dropped at level 0 (scaled to nothing).
    ms.hands!.getMatrixAt(0, m)
    expect(m.determinant()).toBe(0)
    expect([...tags.values()].filter((t) => t.visible).length).toBe(AVATAR_LOD_LEVELS[0].tags)
    // At full quality the same room is 30 full avatars and no stand-in draw.
    Object.assign(drawer.frameInput, { frame: 5, level: TOP })
    updateRemoteAvatars(drawer, ms, tags)
    expect(ms.heads!.count).toBe(30)
    expect(ms.low!.visible).toBe(false)
    ms.hands!.getMatrixAt(0, m)
    expect(m.determinant()).not.toBe(0)
    // Each full visitor's tracked (left) hand has its arm: upper arm and forearm, meeting at the elbow.
    expect(ms.arms!.count).toBe(30 * 2)
    expect(ms.arms!.visible).toBe(true)
    const end = (i: number, sign: 1 | -1) => {
      ms.arms!.getMatrixAt(i, m)
      return new Vector3(0, 0.5 * sign, 0).applyMatrix4(m)
    }
    const elbow = end(0, 1)
    expect(end(1, -1).distanceTo(elbow)).toBeLessThan(1e-4)
    // The forearm ends at the hand (at the origin) and the upper arm starts at the shoulder below the head.
    expect(end(1, 1).length()).toBeLessThan(1e-3)
    expect(end(0, -1).y).toBeCloseTo(1.6 - SHOULDER_DROP_M, 2)
    // Below level 2 the arms go (IK detail is part of the lever); the hands stay.
    Object.assign(drawer.frameInput, { frame: 6, level: 1 })
    updateRemoteAvatars(drawer, ms, tags)
    expect(ms.arms!.count).toBe(0)
    expect(ms.arms!.visible).toBe(false)
  })

  it('rewrites the stand-ins only on their frames at level 0', () => {
    const { poses, peers } = room(10)
    const drawer = createRemoteAvatarDrawer(VENUE_AVATARS.length, poses, [...peers.values()])
    const ms = meshes()
    Object.assign(drawer.frameInput, { renderTimeMs: 10, frame: 1, level: 0 })
    updateRemoteAvatars(drawer, ms, new Map())
    const uploads = () => ms.low!.instanceMatrix.version
    const written: number[] = []
    let before = uploads()
    for (let frame = 2; frame <= 9; frame++) {
      drawer.frameInput.frame = frame
      updateRemoteAvatars(drawer, ms, new Map())
      if (uploads() !== before) written.push(frame)
      before = uploads()
    }
    expect(written).toEqual([4, 8])
    expect(ms.heads!.count).toBe(4)
  })

  it('leaves the livestream host to the stage and draws nobody without a pose', () => {
    const { poses, peers } = room(3, (i) => (i === 0 ? 'host' : 'visitor'))
    poses.clear(99 - 2)
    const drawer = createRemoteAvatarDrawer(VENUE_AVATARS.length, poses, [...peers.values()])
    const ms = meshes()
    Object.assign(drawer.frameInput, { renderTimeMs: 10, frame: 1, level: TOP, skipHost: true })
    updateRemoteAvatars(drawer, ms, new Map())
    expect(ms.heads!.count).toBe(1)
    expect(drawer.lod.full + drawer.lod.low).toBe(1)
  })
})
