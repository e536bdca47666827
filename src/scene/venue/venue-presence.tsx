import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Matrix4, Quaternion, Vector3, type Sprite } from 'three'
import type { ExperienceId } from '../../core/app/routes'
import type { QualityScaler } from '../../core/frame'
import { POSE_LENGTH, quantisePose } from '../../core/venue/pose'
import { POSE_SEND_HZ, type VenueRoomName } from '../../core/venue/protocol'
import { VENUE_AVATARS, VENUE_COLOURS } from '../../core/venue/visitor'
import { AVATAR_LOD_LEVELS, MAX_FULL_AVATARS } from '../../core/venue/avatar-lod'
import { VENUE_PEERS_EVENT, createPeerFrameCollector, decodePeerFrame, encodePeerFrame, type PeerFrame } from '../../core/venue/peer-events'
import { useLingjing } from '../lingjing-context'
import { useAppState } from '../use-app-state'
import { useFrameSystem, useQualityScaler } from '../frame/use-frame-system'
import { createTextTexture } from '../text/create-text-texture'
import { MAX_PEERS, type VenuePeer, type VenueSnapshot } from '../../runtime/venue/venue-connection'
import { useVenue } from './venue-context'
import { createAvatarFeatures } from './avatar-features'
import { ARM_SEGMENTS_PER_AVATAR, PLAYOUT_DELAY_MS, createLowAvatarGeometry, createRemoteAvatarDrawer, resetRemoteAvatarColours, updateRemoteAvatars, type RemoteAvatarMeshes } from './update-remote-avatars'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** The shared room's connection and peers (while a venue experience is mounted). */
    venue?: VenueSnapshot & { drawn: VenueDrawnSnapshot }
  }
}

/** `snapshot().venue.drawn`: how the remote visitors were drawn in the latest frame. */
export interface VenueDrawnSnapshot {
  /** Visitors drawn as full avatars. */
  full: number
  /** Visitors drawn as low-detail stand-ins. */
  low: number
  /** Name tags shown. */
  tags: number
  /** The `remote-avatars` lever's level (its top is full quality). */
  level: number
}

/** The room each experience shares; the AR mascot is personal (no room). */
const ROOM_OF: Partial<Record<ExperienceId, VenueRoomName>> = { hub: 'venue', livestream: 'livestream', tianhe: 'tianhe' }

/**
 * The lever's starting saving per level, a guess the governor replaces with what it learns: the
 * avatar bench could not separate the CPU saving from this machine's noise (src/bench/README.md,
 * "Remote visitors"); what the lowest level measurably saves is draws (30 visitors: +12 draws per
 * eye against +30 at full quality).
 */
const REMOTE_AVATARS_COST_PER_LEVEL_MS = 0.3

export { PLAYOUT_DELAY_MS }

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
 * heads, one for bodies, one for hands, one per body's features, one for every low-detail
 * stand-in). Remote poses are picked up and interpolated in the frame loop's input phase with
 * preallocated objects. How each visitor is drawn is a governed lever (update-remote-avatars.ts).
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
  // A replay starts by remounting its experience (or navigating to it): the peers an earlier
  // replay in this page brought leave, so this one plays only its own.
  const retries = useAppState(app, (s) => s.retries)
  const replayingHere = options.replay != null
  useEffect(() => {
    if (replayingHere) connection.clearReplayPeers()
  }, [connection, replayingHere, retries, experience])


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

  // --- the governed lever: how many in full, the full-detail radius, the stand-ins' update rate,
  // hands and name tags (AVATAR_LOD_LEVELS, src/core/venue/avatar-lod.ts); nobody is hidden.
  const level = useRef(AVATAR_LOD_LEVELS.length - 1)
  const scaler = useMemo<QualityScaler>(
    () => ({
      id: 'remote-avatars',
      label: { zh: '其他访客', en: 'Other visitors' },
      maxLevel: AVATAR_LOD_LEVELS.length - 1,
      costPerLevelMs: REMOTE_AVATARS_COST_PER_LEVEL_MS,
      visualImpact: 0.5,
      apply(next) {
        level.current = next
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

  // --- drawing the others (update-remote-avatars.ts: full avatars, stand-ins, name tags)
  const meshes = useMemo<RemoteAvatarMeshes>(() => ({ heads: null, bodies: null, hands: null, features: [], low: null, arms: null }), [])
  // Each body's feature (antennae, visor, ears, crown): one instanced mesh per body, filled per frame.
  const features = useMemo(() => createAvatarFeatures(), [])
  useEffect(() => () => features.forEach((f) => (f.geometry.dispose(), f.material.dispose())), [features])
  const lowGeometry = useMemo(() => createLowAvatarGeometry(), [])
  useEffect(() => () => lowGeometry.dispose(), [lowGeometry])
  const tags = useMemo(() => new Map<number, Sprite>(), [])
  const drawer = useMemo(() => createRemoteAvatarDrawer(features.length, connection.poses, connection.peerList), [features, connection])

  useEffect(
    () => diagnostics.setSection('venue', () => ({ ...connection.snapshot(), drawn: { full: drawer.lod.full, low: drawer.lod.low, tags: drawer.lod.tags, level: level.current } })),
    [diagnostics, connection, drawer],
  )

  // Peers came or went: slots may be reused by someone else, so recolour every instance.
  useEffect(() => resetRemoteAvatarColours(drawer), [peersVersion, drawer])

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
    const input = drawer.frameInput
    input.renderTimeMs = now - PLAYOUT_DELAY_MS
    input.frame = ctx.frame
    input.level = level.current
    input.skipHost = own.stage
    // The viewer's head as last rendered (in a session the renderer copies the XR camera into it).
    const e = camera.matrixWorld.elements
    input.viewerX = e[12]
    input.viewerY = e[13]
    input.viewerZ = e[14]
    updateRemoteAvatars(drawer, meshes, tags)
  }, 20)

  // A replay draws the peers its take recorded (only once there are some: a take without peers
  // renders exactly as before); a benchmark never draws any.
  if (!room || options.bench != null || (replaying && connection.peers.size === 0)) return null
  // Re-derived when peers come and go (peersVersion), never per frame. Every visitor has a tag;
  // the LOD decides which show (its cap: full-detail visitors first, then the nearest).
  const listed = peersVersion >= 0 ? [...connection.peers.values()] : []
  return (
    <group name="venue-remote-visitors">
      {listed.map((peer) => (
        <NameTag key={peer.id} peer={peer} tags={tags} />
      ))}
      <instancedMesh ref={(mesh) => void (meshes.heads = mesh)} args={[undefined, undefined, MAX_FULL_AVATARS]} count={0} frustumCulled={false}>
        <sphereGeometry args={[0.12, 16, 12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.6} />
      </instancedMesh>
      <instancedMesh ref={(mesh) => void (meshes.bodies = mesh)} args={[undefined, undefined, MAX_FULL_AVATARS]} count={0} frustumCulled={false}>
        <capsuleGeometry args={[0.16, 0.5, 4, 12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.8} />
      </instancedMesh>
      {features.map((feature, f) => (
        <instancedMesh
          key={feature.avatar}
          ref={(mesh) => void (meshes.features[f] = mesh)}
          args={[feature.geometry, feature.material, MAX_FULL_AVATARS]}
          count={0}
          // Shown at first so the scene's precompile sees its program; the frame hides it while empty.
          frustumCulled={false}
        />
      ))}
      <instancedMesh ref={(mesh) => void (meshes.hands = mesh)} args={[undefined, undefined, MAX_FULL_AVATARS * 2]} count={0} frustumCulled={false}>
        <boxGeometry args={[0.07, 0.04, 0.12]} />
        <meshStandardMaterial color="#ffffff" roughness={0.5} />
      </instancedMesh>
      {/* Arms to tracked hands (levels with IK): upper arm and forearm, a unit cylinder stretched per bone. */}
      <instancedMesh ref={(mesh) => void (meshes.arms = mesh)} args={[undefined, undefined, MAX_FULL_AVATARS * ARM_SEGMENTS_PER_AVATAR]} count={0} frustumCulled={false}>
        <cylinderGeometry args={[0.035, 0.03, 1, 6, 1]} />
        <meshStandardMaterial color="#ffffff" roughness={0.8} />
      </instancedMesh>
      {/* Everyone else: low-detail stand-ins, one draw (flat-shaded Lambert, coloured per instance). */}
      <instancedMesh ref={(mesh) => void (meshes.low = mesh)} args={[lowGeometry, undefined, MAX_PEERS]} count={0} frustumCulled={false}>
        <meshLambertMaterial color="#ffffff" flatShading />
      </instancedMesh>
    </group>
  )
}
