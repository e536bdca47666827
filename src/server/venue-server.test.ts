import { Client, type Room } from 'colyseus.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSE_LENGTH, quantisePose } from '../core/venue/pose.ts'
import { FACE_LENGTH, FACE_NAMES } from '../core/venue/face.ts'
import { CLOSE, MSG } from '../core/venue/protocol.ts'
import { GROUP_PHOTO_COUNTDOWN_S } from '../core/venue/group-photo.ts'
import { createVenueServer, type VenueServer } from './venue-server.ts'

// The real server on an ephemeral loopback port, with real colyseus.js clients (Node's `ws`).
let server: VenueServer
let endpoint: string

type AnyRoom = Room<{
  instance: number
  hostId: string
  visitors: Map<string, { id: string; name: string; role: string; pose: number[]; poseSeq: number; face: number[]; seat: number; connected: boolean }>
  tasks: Map<string, string>
  locks: Map<string, { holder: string; name: string; hand: string }>
  photoSeq: number
  photoBy: string
  photoByName: string
  photoLeft: number
  items: Map<string, { s: number[]; free: boolean; seq: number }>
}>

const rooms: AnyRoom[] = []
async function join(name: string, room = 'venue', extra: Record<string, unknown> = {}): Promise<AnyRoom> {
  const r = (await new Client(endpoint).joinOrCreate(room, { name, avatar: 'panda', colour: '#17bebb', ...extra })) as AnyRoom
  rooms.push(r)
  return r
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function leaveCode(room: AnyRoom): Promise<number> {
  return new Promise((resolve) => room.onLeave((code) => resolve(code)))
}

const pose = (x: number) => {
  const f = new Float32Array(POSE_LENGTH)
  for (let p = 0; p < 3; p++) f[p * 7 + 6] = 1 // identity quaternions
  f[0] = x
  f[7 * 2] = x + 0.5 // right hand x
  return Array.from(quantisePose(f, new Int16Array(POSE_LENGTH)))
}

beforeAll(async () => {
  // Tianhe's steps go to a file of this run's own (the default one outlives the process on purpose).
  server = await createVenueServer({ port: 0, pingIntervalMs: 500, taskStorePath: joinPath(mkdtempSync(joinPath(tmpdir(), 'venue-test-')), 'tasks.json') })
  endpoint = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  for (const r of rooms) if (r.connection.isOpen) await r.leave(true).catch(() => {})
  await server.close()
})

describe('venue server (Colyseus 0.16, real clients)', () => {
  it('two visitors see each other, a pose moves, a hostile client is dropped, leaving removes', async () => {
    const a = await join('Ada')
    const b = await join('<b>Bo</b>\u202e')
    expect(b.roomId).toBe(a.roomId)
    await until(() => a.state.visitors?.size === 2 && b.state.visitors?.size === 2, 'both present')
    expect(a.state.visitors.get(b.sessionId)?.name).toBe('<b>Bo</b>') // bidi override removed, markup literal
    expect(a.state.instance).toBeGreaterThan(0)

    a.send(MSG.pose, pose(1.234))
    await until(() => b.state.visitors.get(a.sessionId)?.pose[14] === 1734, "a's right hand at b")
    expect(b.state.visitors.get(a.sessionId)?.pose[0]).toBe(1234)

    // Hostile 1: a 10,000-character name is refused at the door.
    await expect(join('x'.repeat(10_000))).rejects.toThrow(/too long|太长/)
    // Hostile 2: NaN in a pose.
    const nan = await join('NaN')
    const nanLeft = leaveCode(nan)
    const bad = pose(0)
    ;(bad as number[])[3] = Number.NaN
    nan.send(MSG.pose, bad)
    expect(await nanLeft).toBe(CLOSE.malformed)
    // Hostile 3: a flood of messages.
    const flood = await join('Flood')
    const floodLeft = leaveCode(flood)
    flood.onMessage('pong', () => {})
    for (let i = 0; i < 400; i++) flood.send(MSG.ping, i)
    expect(await floodLeft).toBe(CLOSE.flood)
    // Hostile 4: an unknown message type.
    const odd = await join('Odd')
    const oddLeft = leaveCode(odd)
    odd.send('admin', { all: true })
    expect(await oddLeft).toBe(CLOSE.malformed)

    // The others kept their state and still exchange poses; the hostile ones are gone at once.
    await until(() => b.state.visitors.size === 2, 'hostile visitors removed')
    a.send(MSG.pose, pose(-2))
    await until(() => b.state.visitors.get(a.sessionId)?.pose[0] === -2000, 'a moves again')
    expect(a.connection.isOpen && b.connection.isOpen).toBe(true)

    await a.leave(true)
    await until(() => b.state.visitors.size === 1, 'a removed at b')
  })

  it('chat is sanitised and rate limited like danmaku', async () => {
    const a = await join('Chatter')
    const lines: string[] = []
    const refusals: string[] = []
    a.onMessage('chat', (m: { text: string }) => lines.push(m.text))
    a.onMessage('refused', (m: { reason: string }) => refusals.push(m.reason))
    for (let i = 0; i < 5; i++) a.send(MSG.chat, `hi\u0007 ${i} ${'好'.repeat(60)}`)
    await until(() => lines.length === 3 && refusals.length === 2, 'three lines, two refused')
    expect(lines[0].startsWith('hi 0 好')).toBe(true)
    expect(lines[0].endsWith('…')).toBe(true)
    expect(refusals).toEqual(['chat-rate', 'chat-rate'])
  })

  it('a full Tianhe opens another instance; tasks and the livestream host are server state', async () => {
    const crew = [await join('C1', 'tianhe'), await join('C2', 'tianhe'), await join('C3', 'tianhe')]
    const fourth = await join('C4', 'tianhe')
    expect(new Set(crew.map((r) => r.roomId)).size).toBe(1)
    expect(fourth.roomId).not.toBe(crew[0].roomId)
    await until(() => fourth.state.instance > 0 && crew[0].state.instance > 0, 'instances')
    expect(fourth.state.instance).not.toBe(crew[0].state.instance)
    crew[1].send(MSG.task, 'morning-check/wake-console')
    await until(() => crew[0].state.tasks?.get('morning-check/wake-console') === 'C2', 'task shared')

    const host = await join('Host', 'livestream')
    const viewer = await join('Viewer', 'livestream')
    const refused: string[] = []
    viewer.onMessage('refused', (m: { reason: string }) => refused.push(m.reason))
    host.send(MSG.claimHost)
    await until(() => viewer.state.hostId === host.sessionId, 'host known')
    viewer.send(MSG.claimHost)
    await until(() => refused.includes('host-taken'), 'second host refused')
    expect(viewer.state.visitors.get(viewer.sessionId)?.role).toBe('audience')

    const health = (await (await fetch(`${endpoint}/health`)).json()) as { rooms: Record<string, { instances: number; clients: number }> }
    expect(health.rooms.tianhe).toEqual({ instances: 2, clients: 4 })
    expect(health.rooms.livestream.clients).toBe(2)
  })

  it('a dropped connection reconnects with its reservation and keeps its seat', async () => {
    const a = await join('Drop')
    const b = await join('Stay')
    await until(() => b.state.visitors?.size >= 2, 'both')
    const token = a.reconnectionToken
    // Simulate a network loss: the socket dies without a close handshake.
    ;(a.connection.transport as unknown as { ws: { terminate(): void } }).ws.terminate()
    await until(() => b.state.visitors.get(a.sessionId)?.connected === false, 'seat held')
    const back = (await new Client(endpoint).reconnect(token)) as AnyRoom
    rooms.push(back)
    expect(back.sessionId).toBe(a.sessionId)
    await until(() => b.state.visitors.get(a.sessionId)?.connected === true, 'back')
  })

  it('the livestream audience is seated and sees the host face; only the host face counts', async () => {
    // The earlier test's livestream visitors leave first: this one starts with an empty room.
    for (const r of rooms) if (r.name === 'livestream' && r.connection.isOpen) await r.leave(true)
    // Asking for the stage on joining gets it when it is free, and never a seat; asking when it is
    // taken gets a seat in the audience.
    const host = await join('Anchor', 'livestream', { stage: true })
    await until(() => host.state.hostId === host.sessionId, `host (hostId ${host.state.hostId}, self ${host.sessionId}, role ${host.state.visitors?.get(host.sessionId)?.role})`)
    const a = await join('Seat A', 'livestream')
    const b = await join('Seat B', 'livestream', { stage: true })
    expect(new Set([host.roomId, a.roomId, b.roomId]).size).toBe(1)
    await until(() => host.state.visitors?.size === 3 && a.state.visitors?.size === 3 && b.state.visitors?.size === 3, 'all three')
    // The host stands on the stage; the audience gets the lowest free seats; everyone sees them.
    expect(host.state.visitors.get(host.sessionId)?.seat).toBe(-1)
    const seats = [a, b].map((r) => host.state.visitors.get(r.sessionId)?.seat)
    expect(seats.sort()).toEqual([0, 1])
    expect(host.state.visitors.get(a.sessionId)?.role).toBe('audience')

    const happy = FACE_NAMES.map((n) => (n === 'happy' ? 255 : n === 'aa' ? 100 : 0))
    host.send(MSG.face, happy)
    await until(() => a.state.visitors.get(host.sessionId)?.face.length === FACE_LENGTH, 'face at the audience')
    expect(Array.from(a.state.visitors.get(host.sessionId)!.face)).toEqual(happy)
    // An audience member's face is dropped, not fatal; the host's next face changes only what changed.
    b.send(MSG.face, happy)
    const sad = happy.map((v, i) => (FACE_NAMES[i] === 'happy' ? 0 : FACE_NAMES[i] === 'sad' ? 255 : v))
    host.send(MSG.face, sad)
    await until(() => a.state.visitors.get(host.sessionId)?.face[FACE_NAMES.indexOf('sad')] === 255, 'the change')
    expect(a.state.visitors.get(b.sessionId)?.face.length ?? 0).toBe(0)
    expect(b.connection.isOpen).toBe(true)
    // A malformed face disconnects its sender like a malformed pose.
    const left = leaveCode(b)
    b.send(MSG.face, happy.map(() => 300))
    expect(await left).toBe(CLOSE.malformed)

    // A host whose network drops frees the stage at once and gets it back on reconnecting.
    const token = host.reconnectionToken
    ;(host.connection.transport as unknown as { ws: { terminate(): void } }).ws.terminate()
    await until(() => a.state.hostId === '', 'stage freed')
    const back = (await new Client(endpoint).reconnect(token)) as AnyRoom
    rooms.push(back)
    await until(() => a.state.hostId === back.sessionId, 'host back')
    expect(a.state.visitors.get(back.sessionId)?.role).toBe('host')
    expect(a.state.visitors.get(back.sessionId)?.seat).toBe(-1)
  }, 20_000)

  /** Joins that very Tianhe; it is unlocked a moment after a kicked member's seat is freed. */
  async function joinCrew(roomId: string, name: string): Promise<AnyRoom> {
    for (let i = 0; ; i++) {
      try {
        const r = (await new Client(endpoint).joinById(roomId, { name })) as AnyRoom
        rooms.push(r)
        return r
      } catch (e) {
        if (i > 50) throw e
        await new Promise((res) => setTimeout(res, 100))
      }
    }
  }

  it('hostile crew members are disconnected while the others keep their state and keep moving', async () => {
    // The earlier test's crews leave first: this crew has a Tianhe of its own.
    for (const r of rooms) if (r.name === 'tianhe' && r.connection.isOpen) await r.leave(true)
    const taken = await join('Yang', 'tianhe')
    const mate = await join('Wang', 'tianhe')
    expect(mate.roomId).toBe(taken.roomId)
    taken.send(MSG.task, 'morning-check/wake-console')
    await until(() => mate.state.tasks?.get('morning-check/wake-console') === 'Yang', 'a step done')
    taken.send(MSG.pose, pose(0.5))
    await until(() => mate.state.visitors.get(taken.sessionId)?.pose[0] === 500, 'a pose')

    // Hostile 1: a 10,000-character name never gets a seat (the crew of three is not taken up).
    await expect(join('x'.repeat(10_000), 'tianhe')).rejects.toThrow(/too long|太长/)
    // Hostile 2: NaN and Infinity in a pose, a 10,000-character chat line, a bogus step id.
    for (const attack of [
      (r: AnyRoom) => r.send(MSG.pose, pose(0).map((v, i) => (i === 1 ? Number.NaN : v))),
      (r: AnyRoom) => r.send(MSG.pose, pose(0).map((v, i) => (i === 0 ? Infinity : v))),
      (r: AnyRoom) => r.send(MSG.chat, { text: 'x'.repeat(10_000) }),
      (r: AnyRoom) => r.send(MSG.task, 'x'.repeat(10_000)),
    ]) {
      const hostile = await joinCrew(taken.roomId, 'Hostile')
      const left = leaveCode(hostile)
      attack(hostile)
      // 1009: over the transport's 4 KiB message limit, closed by the WebSocket itself (its seat is
      // then held for the usual reconnection seconds before it goes).
      expect([CLOSE.malformed, CLOSE.flood, 1009]).toContain(await left)
      await until(() => mate.state.visitors.size === 2, 'the hostile one gone', 10_000)
    }
    // Hostile 3: a flood of poses and pings, as fast as the socket takes them.
    const flood = await joinCrew(taken.roomId, 'Flood')
    const floodLeft = leaveCode(flood)
    flood.onMessage('pong', () => {})
    for (let i = 0; i < 500; i++) flood.send(i % 2 ? MSG.ping : MSG.pose, i % 2 ? i : pose(i / 1000))
    expect(await floodLeft).toBe(CLOSE.flood)
    await until(() => mate.state.visitors.size === 2, 'the flood gone')

    // The crew kept its step, its seats, and still exchanges poses.
    expect(mate.state.tasks.get('morning-check/wake-console')).toBe('Yang')
    expect(taken.connection.isOpen && mate.connection.isOpen).toBe(true)
    taken.send(MSG.pose, pose(-1.25))
    await until(() => mate.state.visitors.get(taken.sessionId)?.pose[0] === -1250, 'poses still flow')
    mate.send(MSG.task, 'morning-check/read-pressure')
    await until(() => taken.state.tasks.get('morning-check/read-pressure') === 'Wang', 'steps still shared')
  }, 40_000)

  it('Tianhe together: steps must exist and come in order; an item held by one crew member is locked for the others', async () => {
    for (const r of rooms) if (r.name === 'tianhe' && r.connection.isOpen) await r.leave(true)
    const ada = await join('Ada', 'tianhe')
    const bo = await join('Bo', 'tianhe')
    expect(bo.roomId).toBe(ada.roomId)
    const refusedAt = (r: AnyRoom) => {
      const got: { reason: string; item?: string; step?: string }[] = []
      r.onMessage('refused', (m: { reason: string; item?: string; step?: string }) => got.push(m))
      return got
    }
    const adaRefused = refusedAt(ada)
    const boRefused = refusedAt(bo)

    // A step that does not exist, and one that skips ahead, are refused (not fatal); in order they are shared.
    ada.send(MSG.task, 'morning-check/launch-rocket')
    ada.send(MSG.task, 'morning-check/read-o2')
    await until(() => adaRefused.length === 2, 'two refusals')
    expect(adaRefused).toEqual([
      { reason: 'task-unknown', step: 'morning-check/launch-rocket' },
      { reason: 'task-order', step: 'morning-check/read-o2' },
    ])
    ada.send(MSG.task, 'morning-check/wake-console')
    await until(() => bo.state.tasks.get('morning-check/wake-console') === 'Ada', 'the step shared')
    bo.send(MSG.task, 'morning-check/read-pressure')
    await until(() => ada.state.tasks.get('morning-check/read-pressure') === 'Bo', 'the next one, by the other')
    expect(ada.state.tasks.size).toBe(2)

    // Ada takes the old filter: Bo sees it locked to her; Bo's grab is refused, Bo's release ignored.
    ada.send(MSG.grab, { item: 'cartridge-old', hand: 'right' })
    await until(() => bo.state.locks.get('cartridge-old')?.holder === ada.sessionId, 'the lock seen by Bo')
    expect(bo.state.locks.get('cartridge-old')).toMatchObject({ name: 'Ada', hand: 'right' })
    bo.send(MSG.grab, { item: 'cartridge-old', hand: 'left' })
    bo.send(MSG.release, { item: 'cartridge-old', hand: 'left' })
    bo.send(MSG.grab, { item: 'tool-wrench', hand: 'left' }) // not a task item: nothing to lock
    await until(() => boRefused.length === 2, "Bo's refusals")
    expect(boRefused).toEqual([
      { reason: 'item-held', item: 'cartridge-old' },
      { reason: 'item-unknown', item: 'tool-wrench' },
    ])
    expect(ada.state.locks.get('cartridge-old')?.holder).toBe(ada.sessionId)
    // One item per hand.
    ada.send(MSG.grab, { item: 'bag-01', hand: 'right' })
    await until(() => adaRefused.length === 3, 'a full hand')
    expect(adaRefused[2]).toEqual({ reason: 'hand-full', item: 'bag-01' })

    // Dropping it frees it; Bo takes it; Bo's connection dropping (not a consented leave) frees it at once.
    ada.send(MSG.release, { item: 'cartridge-old', hand: 'right' })
    await until(() => !bo.state.locks.has('cartridge-old'), 'released')
    bo.send(MSG.grab, { item: 'cartridge-old', hand: 'left' })
    await until(() => ada.state.locks.get('cartridge-old')?.holder === bo.sessionId, 'Bo holds it')
    bo.connection.close()
    await until(() => !ada.state.locks.has('cartridge-old'), 'freed when Bo drops out', 3000)
    // Bo's seat is still held for reconnection; the lock did not wait for it.
    expect(ada.state.visitors.get(bo.sessionId)?.connected).toBe(false)

    // A malformed grab disconnects, like any malformed message.
    const hostile = await joinCrew(ada.roomId, 'Hostile')
    const left = leaveCode(hostile)
    hostile.send(MSG.grab, { item: { $gt: '' }, hand: 'right' })
    expect(await left).toBe(CLOSE.malformed)
  }, 30_000)

  it('a group photo counts down for the whole hub room; a late joiner sees it; one at a time; the asker leaving stops it', async () => {
    const ada = await join('PhotoAda')
    const bo = await join('PhotoBo')
    expect(bo.roomId).toBe(ada.roomId)
    const boRefused: string[] = []
    bo.onMessage('refused', (m: { reason: string }) => boRefused.push(m.reason))
    // Bo sees every second of Ada's countdown, in order, then the shutter (0), then idle.
    const seen: number[] = []
    await until(() => bo.state.visitors?.size >= 2, 'both present')
    const seq0 = bo.state.photoSeq
    ada.send(MSG.photo)
    await until(() => bo.state.photoBy === ada.sessionId, 'the countdown reaches Bo')
    expect(bo.state.photoSeq).toBe(seq0 + 1)
    expect(bo.state.photoByName).toBe('PhotoAda')
    expect(bo.state.photoLeft).toBe(GROUP_PHOTO_COUNTDOWN_S)
    bo.send(MSG.photo) // one at a time
    await until(() => boRefused.includes('photo-busy'), 'second photo refused')
    const late = await join('PhotoLate')
    expect(late.roomId).toBe(ada.roomId)
    await until(() => late.state.photoBy === ada.sessionId, 'a late joiner sees the running countdown')
    const t0 = Date.now()
    while (bo.state.photoBy !== '' && Date.now() - t0 < 8000) {
      if (seen[seen.length - 1] !== bo.state.photoLeft) seen.push(bo.state.photoLeft)
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(seen).toEqual([3, 2, 1, 0])
    expect(bo.state.photoBy).toBe('')

    // Bo asks, then leaves mid-countdown: the photo was for Bo, so it stops for everyone.
    bo.send(MSG.photo)
    await until(() => ada.state.photoBy === bo.sessionId, "Bo's countdown")
    await bo.leave(true)
    await until(() => ada.state.photoBy === '', 'stopped when the asker left', 1500)
    expect(ada.state.photoLeft).toBe(0)

    // Only the hub has Xiaoguan's group photo.
    const crew = await join('PhotoCrew', 'tianhe')
    const crewRefused: string[] = []
    crew.onMessage('refused', (m: { reason: string }) => crewRefused.push(m.reason))
    crew.send(MSG.photo)
    await until(() => crewRefused.includes('photo-not-here'), 'refused outside the hub')
  }, 20_000)

  it('Tianhe loose items: the holder reports a held item and its release state; the crew gets exactly those numbers', async () => {
    for (const r of rooms) if (r.name === 'tianhe' && r.connection.isOpen) await r.leave(true)
    const ada = await join('Ada', 'tianhe')
    const bo = await join('Bo', 'tianhe')
    expect(bo.roomId).toBe(ada.roomId)
    await until(() => !!ada.state.items && !!bo.state.items && !!bo.state.locks, 'the first state')
    const held = [0.2, 0.1, -6, 0, 0.29552020666133955, 0, 0.955336489125606, 0, 0, 0, 0, 0, 0]
    // Not holding it: a report is ignored (not fatal).
    ada.send(MSG.item, { item: 'cartridge-new', state: held })
    ada.send(MSG.grab, { item: 'cartridge-new', hand: 'right' })
    await until(() => bo.state.locks.get('cartridge-new')?.holder === ada.sessionId, 'the lock')
    expect(bo.state.items.has('cartridge-new')).toBe(false)
    ada.send(MSG.item, { item: 'cartridge-new', state: held })
    await until(() => bo.state.items.get('cartridge-new')?.seq === 1, 'the held pose')
    expect(bo.state.items.get('cartridge-new')?.free).toBe(false)
    expect(Array.from(bo.state.items.get('cartridge-new')!.s)).toEqual(held)
    // Bo does not hold it: his report and his release (with a state) change nothing.
    bo.send(MSG.item, { item: 'cartridge-new', state: [1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] })
    bo.send(MSG.release, { item: 'cartridge-new', hand: 'left', state: [1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] })
    // A flood of reports is thinned to the item rate (burst 3), not fatal.
    for (let i = 0; i < 12; i++) ada.send(MSG.item, { item: 'cartridge-new', state: held })
    const released = [0.21, 0.12, -6.05, 0, 0.29552020666133955, 0, 0.955336489125606, 0.9, 0.3, -1.2, -3.6, 2.7, -0.9]
    await new Promise((r) => setTimeout(r, 400)) // refill the item bucket: the release is not part of the flood
    ada.send(MSG.release, { item: 'cartridge-new', hand: 'right', state: released })
    await until(() => bo.state.items.get('cartridge-new')?.free === true, 'the release state')
    const drift = bo.state.items.get('cartridge-new')!
    expect(Array.from(drift.s)).toEqual(released) // float64: the very numbers Ada's module let go with
    expect(drift.seq).toBeLessThanOrEqual(1 + 3 + 4 + 1) // 1 + burst + ~4 refills in 400 ms + the release
    expect(bo.state.locks.has('cartridge-new')).toBe(false)
    expect(ada.connection.isOpen && bo.connection.isOpen).toBe(true)

    // Not finite, out of bounds, not a unit quaternion, the wrong length: disconnected.
    const bad: unknown[] = [
      [NaN, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 50, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0],
      [0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      [0, 0, 0],
    ]
    for (const [i, state] of bad.entries()) {
      for (const r of rooms) if (r.name === 'tianhe' && r.connection.isOpen && r !== ada && r !== bo) await r.leave(true)
      const hostile = await joinCrew(ada.roomId, `Hostile ${i}`)
      hostile.send(MSG.grab, { item: 'bag-04', hand: 'left' })
      await until(() => ada.state.locks.get('bag-04')?.holder === hostile.sessionId, 'the hostile lock')
      const left = leaveCode(hostile)
      hostile.send(i % 2 ? MSG.release : MSG.item, { item: 'bag-04', hand: 'left', state })
      expect(await left).toBe(CLOSE.malformed)
      await until(() => !ada.state.locks.has('bag-04'), 'freed')
    }
    expect(ada.connection.isOpen && bo.connection.isOpen).toBe(true)
  }, 30_000)
})
