import { Room, matchMaker, type Client, type Delayed, type Presence } from '@colyseus/core'
import { performance } from 'node:perf_hooks'
import { createClientGuard, type ClientGuard } from '../core/venue/client-guard.ts'
import { FACE_LENGTH, validateFace } from '../core/venue/face.ts'
import { POSE_LENGTH, validatePose } from '../core/venue/pose.ts'
import {
  claimSavedLocks,
  decideGrab,
  decideRelease,
  ITEM_STATE_LENGTH,
  loadSavedLocks,
  locksHeldBy,
  parseCrewKey,
  parseItemState,
  parseLockRequest,
  parseRelease,
  saveLocks,
  type SavedLock,
} from '../core/venue/item-locks.ts'
import { freeSeat } from '../core/venue/seating.ts'
import { GROUP_PHOTO_COUNTDOWN_S } from '../core/venue/group-photo.ts'
import { checkCrewStep, createCrewProcedures } from '../core/tianhe/crew-steps.ts'
import { createTianheTasks } from '../core/tianhe/tasks.ts'
import { DEFAULT_STOWAGE_LIST, ITEM_IDS } from '../core/tianhe/tianhe-world.ts'
import { CLOSE, LOCK_RESTORE_SECONDS, MSG, RECONNECT_SECONDS, SERVER_MSG, VENUE_CAPACITY, type VenueRoomName } from '../core/venue/protocol.ts'
import { sanitiseChat, sanitiseProfile, type VisitorProfile } from '../core/venue/visitor.ts'
import type { TaskStore } from './task-store.ts'
import { ItemDriftState, ItemLockState, VenueRoomState, VisitorState } from './venue-state.ts'

/** Options a room type is defined with (src/server/venue-server.ts). */
export interface VenueRoomOptions {
  room: VenueRoomName
  /** Tianhe after a restart: ms a saved lock waits for its holder (default {@link LOCK_RESTORE_SECONDS}; tests shorten it). */
  lockRestoreMs?: number
}

/** Per-client server data (Colyseus' `userData`), carried over a reconnection. */
interface VisitorData {
  guard: ClientGuard
  /** Tianhe: the visitor's crew key (join option `crewKey`), which names them across a restart; null without one. */
  crewKey?: string | null
  /** Listener counting raw bytes on the client's WebSocket, removed on leave. */
  detach?: () => void
}

/** Tianhe's procedures, for the order rule of shared steps (ids and sequence only; the world stays with the clients). */
const CREW_PROCEDURES = createCrewProcedures(createTianheTasks())
/** The task items a crew member can hold (and so lock): the cargo bags, both filter cartridges, the ping-pong ball. */
const CREW_ITEMS = new Set<string>([...Object.keys(DEFAULT_STOWAGE_LIST), ...Object.values(ITEM_IDS)])
const isCrewItem = (id: string) => CREW_ITEMS.has(id)

let taskStore: TaskStore | null = null

/** True while the server shuts down (a restart): rooms keep what must outlive it. */
const shuttingDown = () => matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN

/** Sets where Tianhe's steps are kept across restarts (one venue server per process, like the matchmaker). */
export function setVenueTaskStore(store: TaskStore | null): void {
  taskStore = store
}

/**
 * The lowest instance number of `name` that no live room holds. A claim is an atomic `incr` in
 * presence (Redis when scaled out), released when the room is disposed, so two rooms never share
 * a number; a restarted server hands the same numbers out again, which is how a rejoining crew
 * finds its saved steps.
 */
async function claimInstance(presence: Presence, name: string): Promise<number> {
  const live = new Set((await matchMaker.query({ name })).map((c) => (c.metadata as { instance?: number } | undefined)?.instance))
  for (let n = 1; ; n++) {
    if (live.has(n)) continue
    if ((await presence.incr(`venue:instance:${name}:${n}`)) === 1) return n
  }
}

/** The last {@link TICK_SAMPLES} patch tick durations of this process (ms), for `/health` and the load benchmark. */
export const venueTickStats = { samplesMs: new Float64Array(1000), count: 0 }
const TICK_SAMPLES = venueTickStats.samplesMs.length

/**
 * One instance of a venue room (`venue`, `livestream` or `tianhe`). The server is authoritative:
 * who is present, the livestream host and Tianhe's procedure state live in the Colyseus state and
 * only this class writes them. Clients are untrusted: every WebSocket message is counted against
 * a per-client message and byte budget; a pose that is not 21 bounded integers, or a message of
 * an unknown type, disconnects its sender (close 4009); a flood disconnects (close 4008).
 * Other visitors never notice beyond the leaver disappearing.
 */
export class VenueRoom extends Room<VenueRoomState, { instance: number }, VisitorData> {
  private kind: VenueRoomName = 'venue'
  /** The running group photo's one-second tick (null when none runs). */
  private photoTick: Delayed | null = null
  /** Tianhe after a restart: saved locks whose holder is not back yet (item → saved lock). */
  private pendingLocks = new Map<string, SavedLock>()

  override onCreate(options: VenueRoomOptions): Promise<void> {
    this.kind = options.room
    this.maxClients = VENUE_CAPACITY[options.room]
    this.patchRate = 50 // 20 Hz: matches the client's pose rate
    this.setState(new VenueRoomState())
    // Schema fields start undefined: a joiner must read "no photo yet", not nothing.
    this.state.photoSeq = 0
    this.state.photoBy = ''
    this.state.photoByName = ''
    this.state.photoLeft = 0
    this.onMessage(MSG.pose, (client, data) => this.onPose(client, data))
    this.onMessage(MSG.chat, (client, data) => this.onChat(client, data))
    this.onMessage(MSG.ping, (client, data) => {
      if (typeof data !== 'number' || !Number.isFinite(data)) return this.drop(client, CLOSE.malformed)
      client.send(SERVER_MSG.pong, data)
    })
    this.onMessage(MSG.claimHost, (client) => this.onClaimHost(client))
    this.onMessage(MSG.task, (client, data) => this.onTask(client, data))
    this.onMessage(MSG.face, (client, data) => this.onFace(client, data))
    this.onMessage(MSG.grab, (client, data) => this.onGrab(client, data))
    this.onMessage(MSG.release, (client, data) => this.onRelease(client, data))
    this.onMessage(MSG.photo, (client) => this.onPhoto(client))
    this.onMessage(MSG.item, (client, data) => this.onItemReport(client, data))
    this.onMessage('*', (client) => this.drop(client, CLOSE.malformed))
    // Time the patch tick: Colyseus has no tick metric of its own.
    const broadcastPatch = this.broadcastPatch.bind(this)
    this.broadcastPatch = () => {
      const t0 = performance.now()
      const r = broadcastPatch()
      // Only ticks that sent a patch: an idle room's no-op ticks would hide the real cost.
      if (r) venueTickStats.samplesMs[venueTickStats.count++ % TICK_SAMPLES] = performance.now() - t0
      return r
    }
    // Instance numbers are global (Redis presence when scaled out), so two processes never both say "1".
    return claimInstance(this.presence, options.room).then(async (n) => {
      this.state.instance = n
      if (this.kind === 'tianhe' && taskStore) {
        // A crew back after a server restart finds the steps it had done.
        const saved = await taskStore.load(this.taskKey())
        for (const [step, by] of Object.entries(saved)) this.state.tasks.set(step, by)
        this.restoreLocks(await taskStore.load(this.lockKey()), options.lockRestoreMs ?? LOCK_RESTORE_SECONDS * 1000)
      }
      return this.setMetadata({ instance: n })
    })
  }

  override async onDispose(): Promise<void> {
    const n = this.state.instance
    if (n > 0) await this.presence.del(`venue:instance:${this.kind}:${n}`)
    // Everyone left for good: the next crew starts afresh. A shutdown (restart) keeps the steps.
    if (this.kind === 'tianhe' && taskStore && !shuttingDown()) {
      await taskStore.save(this.taskKey(), {})
      await taskStore.save(this.lockKey(), {})
    }
  }

  private taskKey(): string {
    return `${this.kind}:${this.state.instance}`
  }

  private lockKey(): string {
    return `${this.kind}:${this.state.instance}:locks`
  }

  /**
   * Tianhe after a restart: the saved locks are held again at once (by nobody connected yet, so
   * nobody else takes the item), each handed back to the visitor who joins with its holder's crew
   * key; one still unclaimed after `windowMs` is released.
   */
  private restoreLocks(saved: Record<string, string>, windowMs: number): void {
    this.pendingLocks = loadSavedLocks(saved)
    if (this.pendingLocks.size === 0) return
    for (const [item, l] of this.pendingLocks) {
      const lock = new ItemLockState()
      lock.holder = ''
      lock.name = l.name
      lock.hand = l.hand
      this.state.locks.set(item, lock)
    }
    this.clock.setTimeout(() => {
      for (const item of this.pendingLocks.keys()) if (this.state.locks.get(item)?.holder === '') this.state.locks.delete(item)
      this.pendingLocks.clear()
      this.saveLocks()
    }, windowMs)
  }

  /** Writes the lock table through (a grab or release: a few a minute). A failed write is logged, not fatal. */
  private saveLocks(): void {
    if (!taskStore || this.kind !== 'tianhe' || shuttingDown()) return
    const keyOf = (holder: string, item: string) => (holder ? (this.clients.getById(holder) as Client<VisitorData> | undefined)?.userData?.crewKey ?? null : (this.pendingLocks.get(item)?.key ?? null))
    taskStore.save(this.lockKey(), saveLocks(this.state.locks, keyOf)).catch((e: Error) => console.error(`[venue] saving Tianhe locks failed: ${e.message}`))
  }

  /** Refuses hostile profiles before a seat is taken (the client sees a bilingual reason). */
  override onAuth(_client: Client, options: unknown): VisitorProfile {
    const profile = sanitiseProfile(options, this.kind)
    if ('reason' in profile) throw new Error(`${profile.message.zh} / ${profile.message.en}`)
    return profile
  }

  override onJoin(client: Client<VisitorData>, options: unknown, profile: VisitorProfile): void {
    const guard = createClientGuard()
    const crewKey = parseCrewKey((options as { crewKey?: unknown } | null)?.crewKey)
    client.userData = { guard, crewKey }
    this.attachGuard(client)
    const v = new VisitorState()
    v.id = client.sessionId
    v.name = profile.name
    v.avatar = profile.avatar
    v.colour = profile.colour
    v.experience = profile.experience
    v.role = this.kind === 'livestream' ? 'audience' : this.kind === 'tianhe' ? 'crew' : 'visitor'
    for (let i = 0; i < POSE_LENGTH; i++) v.pose.push(0)
    v.poseSeq = 0
    v.seat = -1
    v.connected = true
    this.state.visitors.set(client.sessionId, v)
    // Asking for the stage on joining (`stage: true`) gets it when it is free: no moment in a seat.
    const wantsStage = (options as { stage?: unknown } | null)?.stage === true
    if (v.role === 'audience' && wantsStage && !this.state.hostId) {
      this.state.hostId = client.sessionId
      v.role = 'host'
    } else if (v.role === 'audience') this.seat(v)
    // Back after a restart: the items this visitor held are theirs again.
    if (crewKey && this.pendingLocks.size > 0) {
      const back = claimSavedLocks(this.pendingLocks, crewKey)
      for (const item of back) {
        const old = this.state.locks.get(item)
        const lock = new ItemLockState()
        lock.holder = client.sessionId
        lock.name = v.name
        lock.hand = old?.hand ?? 'right'
        this.state.locks.set(item, lock) // replaced, never edited: clients listen to add/remove
      }
      if (back.length > 0) this.saveLocks()
    }
  }

  /** Gives an audience member the lowest free seat (none when the area is full: they stand). */
  private seat(v: VisitorState): void {
    const taken: number[] = []
    this.state.visitors.forEach((o) => void taken.push(o.seat))
    v.seat = freeSeat(taken)
  }

  override async onLeave(client: Client<VisitorData>, consented: boolean): Promise<void> {
    client.userData?.detach?.()
    // A shutdown (restart) keeps the locks as saved: their holders take them back on returning.
    if (shuttingDown()) return
    // Whatever they held is free at once: a crew mate must not wait on a dead socket for the
    // reconnection seconds (a visitor who comes back takes it again by grabbing it).
    const held = locksHeldBy(this.state.locks, client.sessionId)
    for (const item of held) this.state.locks.delete(item)
    if (held.length > 0) this.saveLocks()
    const v = this.state.visitors.get(client.sessionId)
    const kicked = client.userData?.guard && (client as unknown as { _kicked?: boolean })._kicked
    if (!consented && !kicked && v) {
      v.connected = false
      // A dropped host frees the stage at once (the audience must not wait on a dead socket), and
      // gets it back on reconnecting if nobody else took it meanwhile.
      const wasHost = this.state.hostId === client.sessionId
      if (wasHost) {
        this.state.hostId = ''
        v.role = 'audience'
        this.seat(v)
      }
      try {
        const back = await this.allowReconnection(client, RECONNECT_SECONDS)
        v.connected = true
        if (wasHost && !this.state.hostId) {
          this.state.hostId = client.sessionId
          v.role = 'host'
          v.seat = -1
        }
        this.attachGuard(back as Client<VisitorData>)
        return
      } catch {
        // Seat expired: fall through and remove the visitor.
      }
    }
    this.state.visitors.delete(client.sessionId)
    if (this.state.hostId === client.sessionId) this.state.hostId = ''
    // The photo was for the one who asked: gone for good, nobody downloads it, so it stops.
    if (this.state.photoBy === client.sessionId) this.endPhoto()
  }

  override onUncaughtException(error: Error, methodName: string): void {
    // One bad message or hook must never take the process (and every other room) down.
    console.error(`[venue] ${this.kind} ${this.roomId}: ${methodName}: ${error.message}`)
  }

  /** Counts every raw WebSocket message of `client` (bytes and count) before Colyseus decodes it. */
  private attachGuard(client: Client<VisitorData>): void {
    type Listener = (raw: Buffer | ArrayBuffer | Buffer[]) => void
    const ws = (client as unknown as { ref?: { on?: (e: 'message', l: Listener) => void; off?: (e: 'message', l: Listener) => void } }).ref
    if (!ws?.on || !ws.off || !client.userData) return
    const data = client.userData
    const listener: Listener = (raw) => {
      const bytes = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength
      if (data.guard.admit(performance.now(), bytes) === 'flood') this.drop(client, CLOSE.flood)
    }
    ws.on('message', listener)
    data.detach = () => ws.off!('message', listener)
  }

  /** Disconnects a misbehaving client with `code`, without holding its seat for reconnection. */
  private drop(client: Client, code: number): void {
    const c = client as unknown as { _kicked?: boolean }
    if (c._kicked) return
    c._kicked = true
    client.leave(code)
  }

  private onPose(client: Client<VisitorData>, data: unknown): void {
    if (validatePose(data) !== null) return this.drop(client, CLOSE.malformed)
    if (!client.userData?.guard.admitPose(performance.now())) return // over the pose rate: dropped
    const v = this.state.visitors.get(client.sessionId)
    if (!v) return
    const values = data as number[]
    // Assign only what changed: the patch then carries only those entries.
    for (let i = 0; i < POSE_LENGTH; i++) if (v.pose[i] !== values[i]) v.pose[i] = values[i]
    v.poseSeq = (v.poseSeq + 1) & 0xffff
  }

  private onChat(client: Client<VisitorData>, data: unknown): void {
    if (typeof data !== 'string') return this.drop(client, CLOSE.malformed)
    const text = sanitiseChat(data)
    if (text === null) return void client.send(SERVER_MSG.refused, { reason: 'chat-empty' })
    if (!client.userData?.guard.admitChat(performance.now())) return void client.send(SERVER_MSG.refused, { reason: 'chat-rate' })
    const v = this.state.visitors.get(client.sessionId)
    this.broadcast(SERVER_MSG.chat, { from: client.sessionId, name: v?.name ?? '', text })
  }

  private onClaimHost(client: Client): void {
    if (this.kind !== 'livestream') return void client.send(SERVER_MSG.refused, { reason: 'host-not-here' })
    if (this.state.hostId && this.state.hostId !== client.sessionId) return void client.send(SERVER_MSG.refused, { reason: 'host-taken' })
    this.state.hostId = client.sessionId
    const v = this.state.visitors.get(client.sessionId)
    if (v) {
      v.role = 'host'
      v.seat = -1 // the host stands on the stage; the seat goes back to the audience
    }
  }

  /** The livestream host's expressions and visemes; anyone else's are dropped (not fatal). */
  private onFace(client: Client<VisitorData>, data: unknown): void {
    if (validateFace(data) !== null) return this.drop(client, CLOSE.malformed)
    if (this.state.hostId !== client.sessionId) return
    if (!client.userData?.guard.admitFace(performance.now())) return
    const v = this.state.visitors.get(client.sessionId)
    if (!v) return
    const values = data as number[]
    if (v.face.length !== FACE_LENGTH) {
      // First face of this host (the array starts empty): fill it.
      while (v.face.length > 0) v.face.pop()
      for (let i = 0; i < FACE_LENGTH; i++) v.face.push(values[i])
      return
    }
    // Only changed entries: the patch then carries just those bytes.
    for (let i = 0; i < FACE_LENGTH; i++) if (v.face[i] !== values[i]) v.face[i] = values[i]
  }

  /** A crew step: it must be a step of Tianhe's procedures and come in their order; else refused (not fatal). */
  private onTask(client: Client, data: unknown): void {
    const verdict = checkCrewStep(CREW_PROCEDURES, this.state.tasks, data)
    if (verdict === 'task-malformed') return this.drop(client, CLOSE.malformed)
    if (this.kind !== 'tianhe') return void client.send(SERVER_MSG.refused, { reason: 'task-not-here' })
    if (verdict) return void client.send(SERVER_MSG.refused, { reason: verdict, step: data })
    const key = data as string
    if (this.state.tasks.has(key)) return
    this.state.tasks.set(key, this.state.visitors.get(client.sessionId)?.name ?? '')
    this.saveTasks()
  }

  /** A crew member takes a task item: the lock is theirs unless another holds it (refused with the item, so they let go). */
  private onGrab(client: Client, data: unknown): void {
    const request = parseLockRequest(data)
    if (!request) return this.drop(client, CLOSE.malformed)
    if (this.kind !== 'tianhe') return void client.send(SERVER_MSG.refused, { reason: 'item-not-here', item: request.item })
    const verdict = decideGrab(this.state.locks, isCrewItem, client.sessionId, request)
    if (verdict === 'already') return
    if (verdict !== 'granted') return void client.send(SERVER_MSG.refused, { reason: verdict, item: request.item })
    const lock = new ItemLockState()
    lock.holder = client.sessionId
    lock.name = this.state.visitors.get(client.sessionId)?.name ?? ''
    lock.hand = request.hand
    this.state.locks.set(request.item, lock)
    this.saveLocks()
  }

  /**
   * The holder lets go; anyone else's release is ignored (the lock is not theirs to free). With a
   * `state` (let go floating), that is where every crew member's module lets it drift from.
   */
  private onRelease(client: Client<VisitorData>, data: unknown): void {
    const request = parseRelease(data)
    if (!request) return this.drop(client, CLOSE.malformed)
    if (!decideRelease(this.state.locks, client.sessionId, request.item)) return
    this.state.locks.delete(request.item)
    this.saveLocks()
    // The release itself always counts; only its state is subject to the item rate.
    if (request.state && client.userData?.guard.admitItem(performance.now())) this.writeItem(request.item, request.state, true)
  }

  /** The lock holder's periodic report of a held item; from anyone else (or too often) it is dropped, not fatal. */
  private onItemReport(client: Client<VisitorData>, data: unknown): void {
    const report = parseItemState(data)
    if (!report) return this.drop(client, CLOSE.malformed)
    if (this.kind !== 'tianhe' || this.state.locks.get(report.item)?.holder !== client.sessionId) return
    if (!client.userData?.guard.admitItem(performance.now())) return
    this.writeItem(report.item, report.state, false)
  }

  private writeItem(item: string, values: readonly number[], free: boolean): void {
    let entry = this.state.items.get(item)
    if (!entry) {
      entry = new ItemDriftState()
      entry.seq = 0
      for (let i = 0; i < ITEM_STATE_LENGTH; i++) entry.s.push(0)
      this.state.items.set(item, entry)
    }
    // Only changed entries: the patch carries just those.
    for (let i = 0; i < ITEM_STATE_LENGTH; i++) if (entry.s[i] !== values[i]) entry.s[i] = values[i]
    entry.free = free
    entry.seq = (entry.seq + 1) & 0xffff
  }

  /**
   * Hub: a visitor asks Xiaoguan for a group photo. The server owns the countdown (in the state,
   * so a late joiner sees where it is): {@link GROUP_PHOTO_COUNTDOWN_S} … 1, then 0 for a second
   * (the shutter: the asker's client takes the picture), then idle. One at a time per room.
   */
  private onPhoto(client: Client): void {
    if (this.kind !== 'venue') return void client.send(SERVER_MSG.refused, { reason: 'photo-not-here' })
    if (this.state.photoBy) return void client.send(SERVER_MSG.refused, { reason: 'photo-busy' })
    this.state.photoSeq = (this.state.photoSeq + 1) & 0xffff || 1
    this.state.photoBy = client.sessionId
    this.state.photoByName = this.state.visitors.get(client.sessionId)?.name ?? ''
    this.state.photoLeft = GROUP_PHOTO_COUNTDOWN_S
    this.photoTick = this.clock.setInterval(() => {
      if (this.state.photoLeft > 0) this.state.photoLeft--
      else this.endPhoto()
    }, 1000)
  }

  private endPhoto(): void {
    this.photoTick?.clear()
    this.photoTick = null
    this.state.photoBy = ''
    this.state.photoLeft = 0
  }

  /** Writes the steps through (a step is rare: a handful per crew). A failed write is logged, not fatal. */
  private saveTasks(): void {
    if (!taskStore) return
    const tasks: Record<string, string> = {}
    this.state.tasks.forEach((by, step) => void (tasks[step] = by))
    taskStore.save(this.taskKey(), tasks).catch((e: Error) => console.error(`[venue] saving Tianhe steps failed: ${e.message}`))
  }
}
