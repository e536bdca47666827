import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Color, InstancedMesh, Matrix4, Quaternion, Vector3, type Sprite } from 'three'
import type { ExperienceId } from '../../core/app/routes'
import type { QualityScaler } from '../../core/frame'
import { POSE_LENGTH, quantisePose } from '../../core/venue/pose'
import { POSE_SEND_HZ, type VenueRoomName } from '../../core/venue/protocol'
import { VENUE_AVATARS, VENUE_COLOURS } from '../../core/venue/visitor'
import { VENUE_PEERS_EVENT, createPeerFrameCollector, decodePeerFrame, encodePeerFrame, type PeerFrame } from '../../core/venue/peer-events'
import { useLingjing } from '../lingjing-context'
import { useAppState } from '../use-app-state'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { createTextTexture } from '../text/create-text-texture'
import type { VenuePeer, VenueSnapshot } from '../../runtime/venue/venue-connection'
import { useVenue } from './venue-context'
import { avatarIndex, createAvatarFeatures } from './avatar-features'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The shared room's connection and peers (while a venue experience is mounted). */
    venue?: VenueSnapshot
  }
}

/** The room each experience shares; the AR mascot is personal (no room). */
const ROOM_OF: Partial<Record<ExperienceId, VenueRoomName>> = { hub: 'venue', livestream: 'livestream', tianhe: 'tianhe' }

/** Remote visitors drawn in full at each governor level (0 = fewest); hands are dropped at level 0. */
const DRAWN_AT_LEVEL = [4, 10, 20, 32] as const
const MAX_DRAWN = DRAWN_AT_LEVEL[DRAWN_AT_LEVEL.length - 1]
/** Playout delay: render remote poses this far in the past so two 20 Hz samples surround it. */
export const PLAYOUT_DELAY_MS = 100

/** This visitor's name, body and colour: `?name=` or a stored one, else a generated "访客 Visitor 1234". */
function loadProfile(): { name: string; avatar: string; colour: string } {
  const params = new URLSearchParams(location.search)
  let stored: { name?: string; avatar?: string; colour?: string } = {}
  try {
    stored = JSON.parse(localStorage.getItem('lingjing.venue.profile') ?? '{}') as typeof stored
  } catch {
    stored = {}
  }
  const n = Math.floor(Math.random() * 10_000)
  const profile = {
    name: params.get('name') ?? stored.name ?? `访客 Visitor ${n}`,
    avatar: stored.avatar ?? VENUE_AVATARS[n % VENUE_AVATARS.length],
    colour: stored.colour ?? VENUE_COLOURS[n % VENUE_COLOURS.length],
  }
  if (!params.get('name')) {
    try {
      localStorage.setItem('lingjing.venue.profile', JSON.stringify(profile))
    } catch {
      // Private mode: the profile lasts this visit only.
    }
  }
  return profile
}

/** A visitor's name above their head: a texture drawn when they arrive, moved by the frame system. */
function NameTag({ peer, tags }: { peer: VenuePeer; tags: Map<number, Sprite> }) {
  const texture = useMemo(
    () => createTextTexture({ width: 256, height: 64, lines: [{ text: peer.name, size: 30, weight: 600 }], align: 'center', padding: 12, border: peer.colour }),
    [peer.name, peer.colour],
  )
  useEffect(() => () => texture.dispose(), [texture])
  return (
    <sprite
      ref={(sprite) => {
        if (sprite) tags.set(peer.slot, sprite)
        else tags.delete(peer.slot)
      }}
      scale={[0.4, 0.1, 1]}
      visible={false}
    >
      <spriteMaterial map={texture} transparent depthWrite={false} />
    </sprite>
  )
}

/**
 * The shared venue in the scene: joins the room of the current experience, sends this visitor's
 * head and hands at {@link POSE_SEND_HZ} Hz and draws the others (instanced: one draw for all
 * heads, one for bodies, one for hands). Remote poses are picked up and interpolated in the frame
 * loop's input phase with preallocated objects. How many are drawn in full is a governed lever.
 * Offline (no server, a replay, or a benchmark), it stays out of the way and says so once.
 */
export function VenuePresence() {
  const lj = useLingjing()
  const { app, diagnostics, options, xrSessions } = lj
  const experience = useAppState(app, (s) => s.experience)
  const room = experience ? ROOM_OF[experience] : undefined
  const camera = useThree((s) => s.camera)
  const gl = useThree((s) => s.gl)
  const [peersVersion, setPeersVersion] = useState(0)
  const isolated = options.bench != null || options.replay != null

  const link = useVenue()
  if (!link) throw new Error('VenuePresence must be inside <VenueProvider>')
  const connection = link.connection
  useEffect(() => link.onPeersChanged(() => setPeersVersion((v) => v + 1)), [link])

  useEffect(() => diagnostics.setSection('venue', () => connection.snapshot()), [diagnostics, connection])

  useEffect(() => {
    if (!room || isolated) return
    // The livestream stage goes to the first visitor who asks; `?role=audience` never asks.
    const wantHost = room === 'livestream' && new URLSearchParams(location.search).get('role') !== 'audience'
    connection.join(room, loadProfile(), wantHost)
    return () => connection.leave()
  }, [connection, room, isolated])

  useEffect(() => {
    // Closing the tab is a consented leave: the others see the visitor go at once.
    const bye = () => connection.leave()
    addEventListener('pagehide', bye)
    return () => removeEventListener('pagehide', bye)
  }, [connection])

  // --- the governed lever
  const drawn = useRef<number>(MAX_DRAWN)
  const handsOn = useRef(true)
  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'remote-avatars',
      label: { zh: '其他访客', en: 'Other visitors' },
      maxLevel: DRAWN_AT_LEVEL.length - 1,
      costPerLevelMs: 0.3,
      visualImpact: 0.5,
      apply(level) {
        drawn.current = DRAWN_AT_LEVEL[level]
        handsOn.current = level > 0
      },
    }),
    [],
  )
  useQualityScaler(room && !isolated ? scaler : null)

  // --- sending this visitor's pose
  const own = useMemo(() => {
    const o = { f: new Float32Array(POSE_LENGTH), q: new Int16Array(POSE_LENGTH), lastSend: -Infinity, v: new Vector3(), r: new Quaternion(), m: new Matrix4(), oq: new Quaternion(), stage: false }
    /** Writes a reference-space pose, moved into the world by the origin (`m`, `oq`), at `at` in `f`. */
    const put = (position: Float32Array, orientation: Float32Array, at: number) => {
      o.v.fromArray(position).applyMatrix4(o.m)
      o.r.fromArray(orientation).premultiply(o.oq)
      o.f[at] = o.v.x
      o.f[at + 1] = o.v.y
      o.f[at + 2] = o.v.z
      o.f[at + 3] = o.r.x
      o.f[at + 4] = o.r.y
      o.f[at + 5] = o.r.z
      o.f[at + 6] = o.r.w
    }
    return { ...o, put }
  }, [])
  own.stage = room === 'livestream'
  useFrameSystem('venue-send', 'input', () => {
    if (connection.state !== 'online') return
    const now = performance.now()
    if (now - own.lastSend < 1000 / POSE_SEND_HZ - 2) return
    own.lastSend = now
    const f = own.f
    const input = xrSessions.input
    if (xrSessions.inputValid) {
      // Input is in the XR reference space; others need the world: through the XR origin (its
      // group holds the XR camera), which experiences place (hub spot, Tianhe, a livestream seat).
      const origin = gl.xr.getCamera().parent
      if (origin) {
        origin.updateWorldMatrix(true, false)
        own.m.copy(origin.matrixWorld)
        own.oq.setFromRotationMatrix(own.m)
      } else {
        own.m.identity()
        own.oq.identity()
      }
      const put = own.put
      put(input.head.position, input.head.orientation, 0)
      for (let s = 0; s < 2; s++) {
        const src = input.sources[s]
        const o = 7 + s * 7
        if (src.connected) put(src.grip.position, src.grip.orientation, o)
        else for (let i = 0; i < 7; i++) f[o + i] = 0 // zero quaternion: not tracked
      }
    } else if (own.stage && connection.isHost()) {
      // The livestream host without a headset: the desktop camera is a viewpoint, not a body.
      // All-zero (untracked) tells the audience to show the host's idle pose instead. (An
      // audience member's desktop camera is at their seat: that is sent, so the host sees them.)
      f.fill(0)
    } else {
      camera.getWorldPosition(own.v)
      camera.getWorldQuaternion(own.r)
      f[0] = own.v.x
      f[1] = own.v.y
      f[2] = own.v.z
      f[3] = own.r.x
      f[4] = own.r.y
      f[5] = own.r.z
      f[6] = own.r.w
      for (let i = 7; i < POSE_LENGTH; i++) f[i] = 0
    }
    connection.sendPose(quantisePose(f, own.q))
  }, 10)

  // --- drawing the others
  const heads = useRef<InstancedMesh>(null)
  const bodies = useRef<InstancedMesh>(null)
  const hands = useRef<InstancedMesh>(null)
  // Each body's feature (antennae, visor, ears, crown): one instanced mesh per body, filled per frame.
  const features = useMemo(() => createAvatarFeatures(), [])
  useEffect(() => () => features.forEach((f) => (f.geometry.dispose(), f.material.dispose())), [features])
  const featureMeshes = useRef<(InstancedMesh | null)[]>([])
  const featureCounts = useMemo(() => new Int32Array(features.length), [features])
  const tags = useMemo(() => new Map<number, Sprite>(), [])
  const tmp = useMemo(() => ({ drawnSlots: new Int32Array(MAX_DRAWN).fill(-1), pose: new Float32Array(POSE_LENGTH), m: new Matrix4(), p: new Vector3(), q: new Quaternion(), s: new Vector3(), c: new Color() }), [])

  // Peers came or went: slots may be reused by someone else, so recolour every instance.
  useEffect(() => void tmp.drawnSlots.fill(-1), [peersVersion, tmp])

  // --- peers in takes: a take records what this client received; its replay plays it back.
  const takes = useMemo(() => ({ collector: createPeerFrameCollector(), recording: false, replayed: [] as PeerFrame[], offHash: null as (() => void) | null }), [])
  useEffect(() => () => takes.offHash?.(), [takes])
  const replaying = options.replay != null
  useEffect(
    () =>
      xrSessions.onReplayEvent((event) => {
        if (event.type !== VENUE_PEERS_EVENT) return
        const frame = decodePeerFrame(event.data)
        if (frame) takes.replayed.push(frame)
      }),
    [xrSessions, takes],
  )

  useFrameSystem('venue-remote', 'input', (ctx) => {
    // A replay runs on the replay's clock, so the recorded peers move the same way every time.
    const now = replaying ? ctx.timeMs : performance.now()
    if (takes.replayed.length > 0 && !takes.offHash) {
      // The replayed peers join the replay's state hash; a take without peers hashes as before.
      const out = new Float32Array(POSE_LENGTH)
      takes.offHash = xrSessions.registerStateHashContributor('venue.peers', (h) => {
        const peers = [...connection.peers.values()].map((p) => {
          // The newest pose (the replay's clock starts where the page's was: its absolute time is not hashed).
          const has = connection.poses.sample(p.slot, connection.poses.lastTime(p.slot), out)
          return [p.id, p.name, has ? Array.from(out, (v) => Math.round(v * 1000)) : []]
        })
        h.string(JSON.stringify(peers))
      })
    }
    for (let f = 0; f < takes.replayed.length; f++) connection.replayPeers(takes.replayed[f], now)
    takes.replayed.length = 0
    const recording = !isolated && xrSessions.recorder.recording
    if (recording !== takes.recording) {
      takes.recording = recording
      takes.collector.take() // nothing from before the take
      connection.recordInto(recording ? takes.collector : null)
    }
    connection.pollPoses(now)
    if (recording) {
      const received = takes.collector.take()
      if (received) xrSessions.recordEvent(VENUE_PEERS_EVENT, encodePeerFrame(received))
    }
    const h = heads.current
    const b = bodies.current
    const k = hands.current
    if (!h || !b || !k) return
    const limit = drawn.current
    let i = 0
    const { pose, m, p, q, s } = tmp
    featureCounts.fill(0)
    for (const peer of connection.peers.values()) {
      const tag = tags.get(peer.slot)
      // The livestream host is drawn as their VRM on the stage (by the room), not as a body here.
      const onStage = own.stage && peer.role === 'host'
      if (onStage || i >= limit || !connection.poses.sample(peer.slot, now - PLAYOUT_DELAY_MS, pose)) {
        if (tag) tag.visible = false
        continue
      }
      if (tag) {
        tag.visible = true
        tag.position.set(pose[0], pose[1] + 0.28, pose[2])
      }
      if (tmp.drawnSlots[i] !== peer.slot) {
        // A different visitor in this instance: recolour (only when who is drawn where changes).
        tmp.drawnSlots[i] = peer.slot
        tmp.c.set(peer.colour)
        h.setColorAt(i, tmp.c)
        b.setColorAt(i, tmp.c)
        k.setColorAt(i * 2, tmp.c)
        k.setColorAt(i * 2 + 1, tmp.c)
        h.instanceColor!.needsUpdate = true
        b.instanceColor!.needsUpdate = true
        k.instanceColor!.needsUpdate = true
      }
      p.set(pose[0], pose[1], pose[2])
      q.set(pose[3], pose[4], pose[5], pose[6])
      s.set(1, 1, 1)
      h.setMatrixAt(i, m.compose(p, q, s))
      const kind = avatarIndex(peer.avatar)
      featureMeshes.current[kind]?.setMatrixAt(featureCounts[kind]++, m)
      // The body hangs below the head, upright (only the head's yaw would matter; kept simple).
      p.y -= 0.45
      q.identity()
      b.setMatrixAt(i, m.compose(p, q, s))
      for (let hand = 0; hand < 2; hand++) {
        const o = 7 + hand * 7
        const tracked = handsOn.current && (pose[o + 3] !== 0 || pose[o + 4] !== 0 || pose[o + 5] !== 0 || pose[o + 6] !== 0)
        p.set(pose[o], pose[o + 1], pose[o + 2])
        q.set(pose[o + 3], pose[o + 4], pose[o + 5], pose[o + 6])
        s.setScalar(tracked ? 1 : 0)
        if (!tracked) q.identity()
        k.setMatrixAt(i * 2 + hand, m.compose(p, q, s))
      }
      i++
    }
    h.count = i
    b.count = i
    k.count = i * 2
    h.instanceMatrix.needsUpdate = true
    b.instanceMatrix.needsUpdate = true
    k.instanceMatrix.needsUpdate = true
    for (let f = 0; f < featureCounts.length; f++) {
      const mesh = featureMeshes.current[f]
      if (!mesh) continue
      mesh.count = featureCounts[f]
      mesh.visible = featureCounts[f] > 0
      mesh.instanceMatrix.needsUpdate = true
    }
  }, 20)

  // A replay draws the peers its take recorded (only once there are some: a take without peers
  // renders exactly as before); a benchmark never draws any.
  if (!room || options.bench != null || (replaying && connection.peers.size === 0)) return null
  // Re-derived when peers come and go (peersVersion), never per frame.
  const listed = peersVersion >= 0 ? [...connection.peers.values()].slice(0, MAX_DRAWN) : []
  return (
    <group name="venue-remote-visitors">
      {listed.map((peer) => (
        <NameTag key={peer.id} peer={peer} tags={tags} />
      ))}
      <instancedMesh ref={heads} args={[undefined, undefined, MAX_DRAWN]} count={0} frustumCulled={false}>
        <sphereGeometry args={[0.12, 16, 12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.6} />
      </instancedMesh>
      <instancedMesh ref={bodies} args={[undefined, undefined, MAX_DRAWN]} count={0} frustumCulled={false}>
        <capsuleGeometry args={[0.16, 0.5, 4, 12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.8} />
      </instancedMesh>
      {features.map((feature, f) => (
        <instancedMesh
          key={feature.avatar}
          ref={(mesh) => {
            featureMeshes.current[f] = mesh
          }}
          args={[feature.geometry, feature.material, MAX_DRAWN]}
          count={0}
          // Shown at first so the scene's precompile sees its program; the frame hides it while empty.
          frustumCulled={false}
        />
      ))}
      <instancedMesh ref={hands} args={[undefined, undefined, MAX_DRAWN * 2]} count={0} frustumCulled={false}>
        <boxGeometry args={[0.07, 0.04, 0.12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.5} />
      </instancedMesh>
    </group>
  )
}
