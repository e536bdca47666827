import { Client, getStateCallbacks, type Room } from 'colyseus.js'
import { FACE_LENGTH, type RemoteFace } from '../../core/venue/face'
import type { GroupPhotoState } from '../../core/venue/group-photo'
import type { ItemLockLike, LockHand, LockTable } from '../../core/venue/item-locks'
import { POSE_LENGTH } from '../../core/venue/pose'
import { CLOSE, MSG, SERVER_MSG, VENUE_CAPACITY, VENUE_PATH, type VenueRole, type VenueRoomName } from '../../core/venue/protocol'
import { createRemotePoseBuffer, type RemotePoseBuffer } from '../../core/venue/remote-poses'
import type { PeerFrame, PeerFrameCollector } from '../../core/venue/peer-events'

/** Connection state as `snapshot().venue.state` reports it. */
export type VenueState = 'offline' | 'connecting' | 'online' | 'reconnecting'

/** What a visitor says about themself (sanitised again by the server). */
export interface VenueProfile {
  name: string
  avatar: string
  colour: string
}

/** One other visitor, as this client knows them. */
export interface VenuePeer {
  id: string
  name: string
  avatar: string
  colour: string
  experience: string
  role: VenueRole
  /** Slot in {@link VenueConnection.poses}. */
  slot: number
  /** Last `poseSeq` seen, to detect a new pose without callbacks inside the frame. */
  seq: number
  /** The schema object (read in the frame loop; owned by colyseus.js). */
  state: RemoteVisitor
}

/** The decoded shape of a visitor in the room state (colyseus.js decodes it by reflection). */
interface RemoteVisitor {
  id: string
  name: string
  avatar: string
  colour: string
  experience: string
  role: string
  pose: ArrayLike<number>
  poseSeq: number
  /** Livestream host: quantised expression and viseme weights (empty for everyone else). */
  face: ArrayLike<number>
  /** Livestream audience seat index, -1 for none. */
  seat: number
  connected: boolean
}

interface RemoteState {
  instance: number
  hostId: string
  visitors: Map<string, RemoteVisitor>
  tasks: Map<string, string>
  locks: Map<string, ItemLockLike>
  photoSeq: number
  photoBy: string
  photoByName: string
  photoLeft: number
  items: Map<string, VenueItemDrift>
}

/** Tianhe: a task item's last reported state (see item-locks.ts `ITEM_STATE_LENGTH`), as the room carries it. */
export interface VenueItemDrift {
  /** Position, orientation, velocity, spin (module space). */
  s: ArrayLike<number>
  /** True once its holder let it go floating: every module drifts it from `s`. */
  free: boolean
  /** Goes up with every report: a new `seq` is a new release. */
  seq: number
}

/** What the server says with a refusal: the reason, and the item or step it concerns. */
export interface VenueRefusal {
  reason: string
  item?: string
  step?: string
}

const NO_LOCKS: ReadonlyMap<string, ItemLockLike> = new Map()
const NO_TASKS: ReadonlyMap<string, string> = new Map()
const NO_ITEMS: ReadonlyMap<string, VenueItemDrift> = new Map()

/** `snapshot().venue`, as the issue specifies it (plus the instance and each peer's interpolated hands). */
export interface VenueSnapshot {
  state: VenueState
  room: VenueRoomName | null
  roomId: string | null
  instance: number
  selfId: string | null
  role: VenueRole | null
  /** Livestream: the host's session id ('' when nobody holds the stage), null elsewhere. */
  hostId: string | null
  /** Livestream audience: this visitor's seat index (-1: none). */
  seat: number
  peers: { id: string; name: string; experience: string; role: string; seat: number; lastUpdateMs: number; head: number[]; right: number[] }[]
  rttMs: number | null
  sentBps: number
  receivedBps: number
  /** The latest chat lines received (oldest first) and the server's last refusal of ours. */
  chat: { name: string; text: string }[]
  chatRefused: string | null
  /** Tianhe: the crew's completed steps (`taskId/stepId`) and who holds which item (item → name). */
  tasks: string[]
  locks: Record<string, string>
}

/** A chat line as the server relays it: sanitised and rate limited there. */
export interface VenueChatLine {
  from: string
  name: string
  text: string
}

/** Why the app should tell the visitor something (once): offline, or refused by the server. */
export type VenueNotice = { kind: 'offline'; detail: string } | { kind: 'refused'; detail: string }

/** Most remote visitors this client tracks (a room holds at most {@link VENUE_CAPACITY}.venue). */
export const MAX_PEERS = VENUE_CAPACITY.venue

/** Options of {@link createVenueConnection}. */
export interface VenueConnectionOptions {
  /** Page-time clock (performance.now in the app). */
  now(): number
  /** Called when the visitor must be told something; the caller shows each kind once. */
  notify(notice: VenueNotice): void
  /**
   * Called after peers join or leave, or a role, the host or a seat changes (not per pose): the
   * scene re-lays its instances, the livestream room re-places the visitor.
   */
  onPeersChanged(): void
  /** Base URL of the server (default: this page's origin + /venue). */
  endpoint?: string
  /**
   * This page's crew key (default: a random one per connection): names the visitor across a
   * server restart, so the Tianhe item locks they held are theirs again when they rejoin.
   */
  crewKey?: string
}

/** A fresh crew key: 24 hex digits from the platform's random source (never shown to others). */
function randomCrewKey(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The client side of the shared venue: one room at a time, with reconnection. */
export interface VenueConnection {
  readonly state: VenueState
  /** Peers by session id (not including this visitor). */
  readonly peers: ReadonlyMap<string, VenuePeer>
  /** The same peers in the same order, as an array the frame loop walks without an iterator. */
  readonly peerList: readonly VenuePeer[]
  /** Interpolated remote poses by peer slot. */
  readonly poses: RemotePoseBuffer
  /**
   * Joins `room` (leaving any other first). In the livestream room, `wantHost` asks for the stage
   * (granted to the first who asks; the others are the audience).
   */
  join(room: VenueRoomName, profile: VenueProfile, wantHost?: boolean): void
  /** Leaves for good (consented: others see the visitor go at once). */
  leave(): void
  /** Sends this visitor's quantised pose (call at the send rate). No-op when not online. */
  sendPose(quantised: Int16Array): void
  /** Sends a chat line (sanitised and rate limited by the server too). */
  sendChat(text: string): void
  /** Livestream: asks for the host role. */
  claimHost(): void
  /** Livestream host: sends the quantised face (call only on change, ≤ 20 Hz; see face.ts). */
  sendFace(quantised: Uint8Array): void
  /** Livestream: the peer holding the stage, or null (nobody, or this visitor is the host). */
  hostPeer(): VenuePeer | null
  /** Livestream: feeds the host's face into `out` when it changed since the last call (allocates nothing). */
  pollHostFace(out: RemoteFace): void
  /** True when this visitor holds the livestream stage. */
  isHost(): boolean
  /** This visitor's livestream seat index (-1: none, or not in the livestream room). */
  seat(): number
  /** Calls `listener` for every chat line of the room (own lines included, as relayed); returns the unsubscribe. */
  onChat(listener: (line: VenueChatLine) => void): () => void
  /** Calls `listener` when the server refuses something of ours (e.g. 'chat-rate', 'item-held' with the item); returns the unsubscribe. */
  onRefused(listener: (reason: string, refusal: VenueRefusal) => void): () => void
  /** Tianhe: marks a procedure step done for the whole crew (`taskId/stepId`; the server checks it). */
  completeTask(id: string): void
  /** Tianhe: asks for the lock of a task item taken in `hand` (refused with 'item-held' when another holds it). */
  grabItem(item: string, hand: LockHand): void
  /**
   * Tianhe: lets go of a task item's lock; `state` (13 numbers, clamped) when it was let go
   * floating, so every crew member's module drifts it from there.
   */
  releaseItem(item: string, hand: LockHand, state?: readonly number[] | null): void
  /** Tianhe: the holder's periodic report of a held item's state (at `ITEM_REPORT_HZ`). */
  reportItem(item: string, state: readonly number[]): void
  /** Tianhe: each task item's last reported state (held pose or release), as the server says. */
  itemDrifts(): ReadonlyMap<string, VenueItemDrift>
  /** Tianhe: who holds which task item (item id → lock), as the server says; empty when not in a crew. */
  locks(): LockTable & ReadonlyMap<string, ItemLockLike>
  /** This visitor's session id in the room, null when not in one. */
  selfId(): string | null
  /** The profile this visitor last joined with (name, body, colour), null before a join. */
  profile(): VenueProfile | null
  /**
   * Goes up whenever the crew's steps or item locks change (set by state callbacks, not per
   * frame), so a frame system compares one number instead of walking the maps.
   */
  crewVersion(): number
  /** Hub: asks Xiaoguan for a group photo; the server counts down for the whole room (refused 'photo-busy' while one runs). */
  requestPhoto(): void
  /** Hub: the room's group photo now (the last one stays with `by` '' once done), null when not in a room. */
  photo(): GroupPhotoState | null
  /**
   * Calls `listener` whenever the room's group photo changes (asked, each second, shutter, over),
   * from state callbacks (never inside a frame), also at once on joining a room with one running; returns the unsubscribe.
   */
  onPhoto(listener: (photo: GroupPhotoState) => void): () => void
  /** Picks up new poses from the decoded state (input phase; allocates nothing unless a take records). */
  pollPoses(nowMs: number): void
  /**
   * While a take records: everything received from now on (joins, poses, leaves) also goes into
   * `sink`; the peers present now are written as joins with their latest pose first. null stops.
   */
  recordInto(sink: PeerFrameCollector | null): void
  /**
   * A replay: applies one recorded frame of peer changes at `timeMs` (the replay's clock), as if
   * received. Only while not in a room (a replay never connects), so live peers never mix in.
   */
  replayPeers(frame: PeerFrame, timeMs: number): void
  /** A new replay starts: the peers an earlier replay brought are gone (never touches a live room). */
  clearReplayPeers(): void
  /** Shared Tianhe tasks: step id → who completed it. */
  tasks(): ReadonlyMap<string, string>
  snapshot(): VenueSnapshot
}

/**
 * Creates the client. Matchmaking goes to `/venue` on this page's origin; a failed first join
 * means there is no server (a static host): state 'offline', one notice, no retry storm. A
 * dropped socket reconnects with `client.reconnect(reconnectionToken)` (the new Room is used), and
 * when the seat has expired (e.g. the server restarted) joins afresh.
 */
export function createVenueConnection(options: VenueConnectionOptions): VenueConnection {
  const endpoint = options.endpoint ?? `${location.origin}${VENUE_PATH}`
  const client = new Client(endpoint)
  const crewKey = options.crewKey ?? randomCrewKey()
  const peers = new Map<string, VenuePeer>()
  const freeSlots: number[] = []
  for (let i = MAX_PEERS - 1; i >= 0; i--) freeSlots.push(i)
  const poses = createRemotePoseBuffer(MAX_PEERS)
  let state: VenueState = 'offline'
  let room: Room<RemoteState> | null = null
  let roomName: VenueRoomName | null = null
  let profile: VenueProfile | null = null
  let generation = 0 // bumps on every join/leave so late promises of an old attempt are ignored
  let rttMs: number | null = null
  let sent = 0
  let received = 0
  let sentBps = 0
  let receivedBps = 0
  let statsAt = options.now()
  let timer: ReturnType<typeof setInterval> | null = null
  const poseMsg: number[] = new Array(POSE_LENGTH).fill(0)
  const faceMsg: number[] = new Array(FACE_LENGTH).fill(0)
  // The host face last fed to pollHostFace's `out` (-1: none yet), and whose it was.
  const lastFace = new Int16Array(FACE_LENGTH).fill(-1)
  let lastFaceOf = ''
  let wantHost = false
  const chatListeners = new Set<(line: VenueChatLine) => void>()
  const refusalListeners = new Set<(reason: string, refusal: VenueRefusal) => void>()
  let crewVersion = 0
  const recentChat: { name: string; text: string }[] = []
  let chatRefused: string | null = null
  const photoListeners = new Set<(photo: GroupPhotoState) => void>()
  let sink: PeerFrameCollector | null = null
  // The clock of the last poll: a replay's (not the page's) when there is no room.
  let lastPollMs = Number.NaN
  const joinOf = (p: VenuePeer) => ({ id: p.id, name: p.name, avatar: p.avatar, colour: p.colour, experience: p.experience, role: p.role })

  const peerList: VenuePeer[] = []
  /** Adds to the map and the list together (the list in the map's insertion order). */
  const setPeer = (peer: VenuePeer) => {
    peers.set(peer.id, peer)
    peerList.push(peer)
  }
  const deletePeer = (peer: VenuePeer) => {
    peers.delete(peer.id)
    const i = peerList.indexOf(peer)
    if (i >= 0) peerList.splice(i, 1)
  }

  const removePeer = (id: string) => {
    const p = peers.get(id)
    if (!p) return
    poses.clear(p.slot)
    freeSlots.push(p.slot)
    deletePeer(p)
    sink?.leave(id)
    options.onPeersChanged()
  }
  const clearPeers = () => {
    for (const id of [...peers.keys()]) removePeer(id)
  }

  const attach = (r: Room<RemoteState>, gen: number) => {
    room = r
    state = 'online'
    const $ = getStateCallbacks(r)
    $(r.state).listen('hostId', () => options.onPeersChanged())
    $(r.state).visitors.onAdd((v: RemoteVisitor, id: string) => {
      if (id === r.sessionId) {
        // Our own role and seat decide where the livestream room puts us.
        $(v).listen('role', () => options.onPeersChanged())
        $(v).listen('seat', () => options.onPeersChanged())
        return
      }
      if (peers.has(id) || freeSlots.length === 0) return
      setPeer({
        id,
        name: v.name,
        avatar: v.avatar,
        colour: v.colour,
        experience: v.experience,
        role: v.role as VenueRole,
        slot: freeSlots.pop()!,
        seq: -1,
        state: v,
      })
      sink?.join(joinOf(peers.get(id)!))
      $(v).listen('role', (role: string) => {
        const p = peers.get(id)
        if (p) p.role = role as VenueRole
        options.onPeersChanged()
      })
      options.onPeersChanged()
    })
    $(r.state).visitors.onRemove((_v: RemoteVisitor, id: string) => removePeer(id))
    // Hub: the group photo's countdown (the server writes these three together, so one patch).
    const photoChanged = () => {
      const p = connection.photo()
      if (p) for (const l of photoListeners) l(p)
    }
    $(r.state).listen('photoSeq', photoChanged)
    $(r.state).listen('photoLeft', photoChanged)
    $(r.state).listen('photoBy', photoChanged)
    // Tianhe: steps only grow; locks come and go (a lock is replaced, never edited, by the server).
    const bump = () => void crewVersion++
    $(r.state).tasks.onAdd(bump)
    $(r.state).tasks.onRemove(bump)
    $(r.state).locks.onAdd(bump)
    $(r.state).locks.onRemove(bump)
    crewVersion++
    r.onMessage(SERVER_MSG.pong, (t: number) => {
      rttMs = Math.max(0, options.now() - t)
    })
    r.onMessage(SERVER_MSG.chat, (m: VenueChatLine) => {
      // The server sanitised it; still only strings reach the page.
      if (!m || typeof m.text !== 'string' || typeof m.name !== 'string' || typeof m.from !== 'string') return
      recentChat.push({ name: m.name, text: m.text })
      if (recentChat.length > 10) recentChat.shift()
      for (const l of chatListeners) l(m)
    })
    r.onMessage(SERVER_MSG.refused, (m: { reason?: unknown; item?: unknown; step?: unknown }) => {
      const reason = typeof m?.reason === 'string' ? m.reason : 'refused'
      const refusal: VenueRefusal = { reason }
      if (typeof m?.item === 'string') refusal.item = m.item
      if (typeof m?.step === 'string') refusal.step = m.step
      if (reason.startsWith('chat')) chatRefused = reason
      for (const l of refusalListeners) l(reason, refusal)
    })
    // Byte counters: outgoing through the connection, incoming on the socket.
    const conn = r.connection as unknown as { send(data: ArrayBuffer | Uint8Array): void; transport: { ws: WebSocket } }
    const send = conn.send.bind(conn)
    conn.send = (data) => {
      sent += data.byteLength
      send(data)
    }
    conn.transport.ws.addEventListener('message', (e: MessageEvent) => {
      received += (e.data as ArrayBuffer).byteLength ?? 0
    })
    r.onLeave((code) => {
      if (gen !== generation) return
      room = null
      // Our own leave() bumped the generation above; a 4000 here is the server closing the room
      // (a graceful shutdown or restart): its seat is gone, so join afresh at once.
      if (code === CLOSE.flood || code === CLOSE.malformed) {
        state = 'offline'
        clearPeers()
        options.notify({ kind: 'refused', detail: `close ${code}` })
        return
      }
      void reconnect(r.reconnectionToken, gen, code === 4000)
    })
  }

  const reconnect = async (token: string, gen: number, fresh: boolean) => {
    state = 'reconnecting'
    // First the same seat (held a few seconds by the server), then a fresh join (server restarted).
    for (let attempt = 0; attempt < 60 && gen === generation; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * (attempt + 1))))
      if (gen !== generation) return
      try {
        const same = !fresh && attempt < 3
        const r = same ? await client.reconnect<RemoteState>(token) : await client.joinOrCreate<RemoteState>(roomName!, { ...profile, stage: wantHost, crewKey })
        if (gen !== generation) return void r.leave(true)
        if (!same) clearPeers() // a new session: the old peers' ids are gone
        attach(r, gen)
        return
      } catch {
        // Try again until the attempts run out.
      }
    }
    if (gen === generation) {
      state = 'offline'
      clearPeers()
      options.notify({ kind: 'offline', detail: 'reconnection gave up' })
    }
  }

  const tick = () => {
    const now = options.now()
    const dt = (now - statsAt) / 1000
    if (dt >= 1) {
      sentBps = Math.round(sent / dt)
      receivedBps = Math.round(received / dt)
      sent = received = 0
      statsAt = now
    }
    if (room && state === 'online') room.send(MSG.ping, now)
  }

  const connection: VenueConnection = {
    get state() {
      return state
    },
    peers,
    peerList,
    poses,
    join(name, p, host = false) {
      connection.leave()
      const gen = ++generation
      roomName = name
      profile = p
      wantHost = host
      recentChat.length = 0
      chatRefused = null
      state = 'connecting'
      timer = setInterval(tick, 1000)
      client
        .joinOrCreate<RemoteState>(name, { ...p, stage: wantHost, crewKey })
        .then((r) => {
          if (gen !== generation) return void r.leave(true)
          attach(r, gen)
        })
        .catch((e: unknown) => {
          if (gen !== generation) return
          state = 'offline'
          const message = e instanceof Error ? e.message : String(e)
          // A refusal by the server (e.g. a hostile name) carries its bilingual reason.
          options.notify(/太长|too long|must be text/i.test(message) ? { kind: 'refused', detail: message } : { kind: 'offline', detail: message })
        })
    },
    leave() {
      generation++
      if (timer) clearInterval(timer)
      timer = null
      const r = room
      room = null
      state = 'offline'
      clearPeers()
      if (r) {
        void r.leave(true).catch(() => {})
        options.onPeersChanged() // no longer host or audience
      }
    },
    sendPose(q) {
      if (!room || state !== 'online') return
      for (let i = 0; i < POSE_LENGTH; i++) poseMsg[i] = q[i]
      room.send(MSG.pose, poseMsg)
    },
    sendChat(text) {
      room?.send(MSG.chat, text)
    },
    claimHost() {
      room?.send(MSG.claimHost)
    },
    sendFace(q) {
      if (!room || state !== 'online') return
      for (let i = 0; i < FACE_LENGTH; i++) faceMsg[i] = q[i]
      room.send(MSG.face, faceMsg)
    },
    hostPeer() {
      const id = room?.state.hostId
      return id ? (peers.get(id) ?? null) : null
    },
    pollHostFace(out) {
      const host = connection.hostPeer()
      if (!host) {
        if (lastFaceOf !== '') {
          lastFaceOf = ''
          lastFace.fill(-1)
          out.reset()
        }
        return
      }
      const face = host.state.face
      if (!face || face.length !== FACE_LENGTH) return
      let changed = lastFaceOf !== host.id
      for (let i = 0; i < FACE_LENGTH; i++) if (face[i] !== lastFace[i]) changed = true
      if (!changed) return
      lastFaceOf = host.id
      for (let i = 0; i < FACE_LENGTH; i++) lastFace[i] = face[i]
      out.receive(face)
    },
    isHost() {
      return !!room && room.state.hostId === room.sessionId
    },
    seat() {
      return room?.state.visitors?.get(room.sessionId)?.seat ?? -1
    },
    onChat(listener) {
      chatListeners.add(listener)
      return () => void chatListeners.delete(listener)
    },
    onRefused(listener) {
      refusalListeners.add(listener)
      return () => void refusalListeners.delete(listener)
    },
    completeTask(id) {
      room?.send(MSG.task, id)
    },
    grabItem(item, hand) {
      room?.send(MSG.grab, { item, hand })
    },
    releaseItem(item, hand, state = null) {
      room?.send(MSG.release, state ? { item, hand, state } : { item, hand })
    },
    reportItem(item, state) {
      if (room && state.length > 0) room.send(MSG.item, { item, state })
    },
    itemDrifts() {
      return (room?.state.items as Map<string, VenueItemDrift> | undefined) ?? NO_ITEMS
    },
    locks() {
      return (room?.state.locks as Map<string, ItemLockLike> | undefined) ?? (NO_LOCKS as Map<string, ItemLockLike>)
    },
    selfId() {
      return room?.sessionId ?? null
    },
    profile() {
      return profile
    },
    crewVersion() {
      return crewVersion
    },
    requestPhoto() {
      room?.send(MSG.photo)
    },
    photo() {
      const st = room?.state
      if (!st || st.photoSeq === undefined) return null
      return { seq: st.photoSeq, by: st.photoBy ?? '', byName: st.photoByName ?? '', left: st.photoLeft ?? 0 }
    },
    onPhoto(listener) {
      photoListeners.add(listener)
      return () => void photoListeners.delete(listener)
    },
    pollPoses(nowMs) {
      lastPollMs = nowMs
      for (let i = 0; i < peerList.length; i++) {
        const p = peerList[i]
        const seq = p.state.poseSeq
        if (seq !== p.seq && p.state.pose.length === POSE_LENGTH) {
          p.seq = seq
          poses.push(p.slot, nowMs, p.state.pose)
          sink?.pose(p.id, p.state.pose)
        }
      }
    },
    recordInto(next) {
      sink = next
      if (!next) return
      for (const p of peers.values()) {
        next.join(joinOf(p))
        if (p.state.pose.length === POSE_LENGTH) next.pose(p.id, p.state.pose)
      }
    },
    replayPeers(frame, timeMs) {
      if (room) return
      let changed = false
      for (const j of frame.joins) {
        if (peers.has(j.id) || freeSlots.length === 0) continue
        // A stand-in for the decoded schema object: no pose of its own, so pollPoses never pushes.
        const state: RemoteVisitor = { ...j, pose: [], poseSeq: 0, face: [], seat: -1, connected: true }
        setPeer({ ...j, role: j.role as VenueRole, slot: freeSlots.pop()!, seq: -1, state })
        changed = true
      }
      for (const p of frame.poses) {
        const peer = peers.get(p.id)
        if (peer) poses.push(peer.slot, timeMs, p.pose)
      }
      for (const id of frame.leaves) {
        const peer = peers.get(id)
        if (!peer) continue
        poses.clear(peer.slot)
        freeSlots.push(peer.slot)
        deletePeer(peer)
        changed = true
      }
      // Re-laying the scene is React work: after this frame, not inside it.
      if (changed) setTimeout(() => options.onPeersChanged(), 0)
    },
    clearReplayPeers() {
      if (!room) clearPeers()
    },
    tasks() {
      return (room?.state.tasks as Map<string, string> | undefined) ?? NO_TASKS
    },
    snapshot() {
      // A replay's peers live on the replay's clock, which the page's need not match.
      const now = room || Number.isNaN(lastPollMs) ? options.now() : lastPollMs
      const out = new Float32Array(POSE_LENGTH)
      const self = room?.state.visitors?.get(room.sessionId)
      return {
        state,
        room: roomName,
        roomId: room?.roomId ?? null,
        instance: room?.state.instance ?? 0,
        selfId: room?.sessionId ?? null,
        role: (self?.role as VenueRole | undefined) ?? null,
        hostId: roomName === 'livestream' ? (room?.state.hostId ?? '') : null,
        seat: self?.seat ?? -1,
        peers: [...peers.values()].map((p) => {
          const has = poses.sample(p.slot, now, out)
          const last = poses.lastTime(p.slot)
          const r3 = (o: number) => (has ? [out[o], out[o + 1], out[o + 2]].map((v) => Math.round(v * 1000) / 1000) : [])
          return {
            id: p.id,
            name: p.name,
            experience: p.experience,
            role: p.role,
            seat: p.state.seat ?? -1,
            lastUpdateMs: Number.isNaN(last) ? -1 : Math.round(now - last),
            head: r3(0),
            right: r3(14),
          }
        }),
        rttMs: rttMs === null ? null : Math.round(rttMs),
        sentBps,
        receivedBps,
        chat: recentChat.map((l) => ({ ...l })),
        chatRefused,
        tasks: [...connection.tasks().keys()],
        locks: Object.fromEntries([...connection.locks()].map(([item, l]) => [item, l.name])),
      }
    },
  }
  return connection
}
