import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { POSE_LENGTH } from '../../core/venue/pose'
import { createVenueServer, type VenueServer } from '../../server/venue-server'
import { createVenueConnection, type VenueConnection, type VenueNotice } from './venue-connection'

// The app's connection logic against the real server in Node: a server restart mid-session.
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

let server: VenueServer | null = null
const connections: VenueConnection[] = []
afterAll(async () => {
  for (const c of connections) c.leave()
  await server?.close()
})

/** A crew member joining the server's Tianhe room, left again after the file's tests. */
function joinCrew(port: number, name: string, notify: (n: VenueNotice) => void = () => {}): VenueConnection {
  const c = createVenueConnection({ now: () => performance.now(), notify, onPeersChanged: () => {}, endpoint: `http://127.0.0.1:${port}` })
  connections.push(c)
  c.join('tianhe', { name, avatar: 'panda', colour: '#17bebb' })
  return c
}

describe('venue connection', () => {
  it('reconnects both visitors after the server restarts, keeps the crew steps, and says nothing when it does', async () => {
    // The embedded default keeps Tianhe's steps in a JSON file; this test gets its own.
    const taskStorePath = join(mkdtempSync(join(tmpdir(), 'venue-tasks-')), 'tasks.json')
    server = await createVenueServer({ port: 0, taskStorePath })
    const port = server.port
    const notices: VenueNotice[] = []
    const open = (name: string) => joinCrew(port, name, (n) => notices.push(n))
    const a = open('Yang')
    const b = open('Wang')
    await until(() => a.peers.size === 1 && b.peers.size === 1, 'crew of two')
    expect([...a.peers.values()][0].name).toBe('Wang')
    a.completeTask('morning-check/wake-console')
    // Steps come in the procedure's order: the pressure reading after the console is awake.
    await until(() => b.tasks().size === 1, 'the first step shared')
    b.completeTask('morning-check/read-pressure')
    await until(() => a.tasks().size === 2 && b.tasks().size === 2, 'both steps shared')

    await server.close()
    await until(() => a.state === 'reconnecting' && b.state === 'reconnecting', 'both notice the loss')
    server = await createVenueServer({ port, taskStorePath })
    await until(() => a.state === 'online' && b.state === 'online', 'both back online')
    await until(() => a.peers.size === 1 && b.peers.size === 1, 'crew of two again')
    // The frame loop's list follows the map through the loss and the rejoin (no stale entry).
    expect(a.peerList).toEqual([...a.peers.values()])
    expect(b.peerList).toEqual([...b.peers.values()])
    expect(a.snapshot().room).toBe('tianhe')
    // The steps survived the restart, with who did them.
    await until(() => b.tasks().size === 2, 'steps back')
    expect(Object.fromEntries(b.tasks())).toEqual({ 'morning-check/wake-console': 'Yang', 'morning-check/read-pressure': 'Wang' })
    expect(notices).toEqual([])
  }, 60_000)

  it('keeps the Tianhe item locks across a restart: a holder who is back holds it again, one who is not loses it after the window', async () => {
    for (const c of connections) c.leave()
    await server?.close()
    const taskStorePath = join(mkdtempSync(join(tmpdir(), 'venue-locks-')), 'tasks.json')
    const lockRestoreMs = 5000
    server = await createVenueServer({ port: 0, taskStorePath, lockRestoreMs })
    const port = server.port
    const open = (name: string) => joinCrew(port, name)
    const a = open('Yang')
    const b = open('Wang')
    await until(() => a.peers.size === 1 && b.peers.size === 1, 'crew of two')
    a.grabItem('cartridge-new', 'right')
    b.grabItem('bag-01', 'left')
    await until(() => b.locks().get('cartridge-new')?.holder === a.selfId() && a.locks().get('bag-01')?.holder === b.selfId(), 'both locks')

    await server.close()
    await until(() => a.state === 'reconnecting' && b.state === 'reconnecting', 'both notice the loss')
    b.leave() // Wang does not come back
    server = await createVenueServer({ port, taskStorePath, lockRestoreMs })
    const backAt = Date.now()
    await until(() => a.state === 'online', 'Yang back online')
    // Yang is a new session, and holds the filter again; Wang's bag waits for him, in his name.
    await until(() => a.locks().get('cartridge-new')?.holder === a.selfId(), 'the filter is Yang\'s again')
    expect(a.locks().get('cartridge-new')).toMatchObject({ name: 'Yang', hand: 'right' })
    expect(a.locks().get('bag-01')).toMatchObject({ holder: '', name: 'Wang', hand: 'left' })
    a.grabItem('bag-01', 'left')
    await until(() => !a.locks().has('bag-01'), 'released when Wang is not back in time', lockRestoreMs + 10_000)
    expect(Date.now() - backAt).toBeGreaterThanOrEqual(lockRestoreMs - 1000)
    // Yang's grab while it waited for Wang was refused (it stays free until asked again).
    a.grabItem('bag-01', 'left')
    await until(() => a.locks().get('bag-01')?.holder === a.selfId(), 'Yang takes the free bag')
  }, 60_000)

  it('is offline, and says so once, when there is no server', async () => {
    const notices: VenueNotice[] = []
    const c = createVenueConnection({ now: () => performance.now(), notify: (n) => notices.push(n), onPeersChanged: () => {}, endpoint: 'http://127.0.0.1:9' })
    connections.push(c)
    c.join('venue', { name: 'Solo', avatar: 'panda', colour: '#17bebb' })
    await until(() => notices.length > 0, 'the notice')
    expect(c.state).toBe('offline')
    expect(notices.map((n) => n.kind)).toEqual(['offline'])
    expect(c.snapshot().peers).toEqual([])
  })

  it('replays peers only while in no room, and a new replay starts without the last one’s', () => {
    const changed: number[] = []
    const c = createVenueConnection({ now: () => 0, notify: () => {}, onPeersChanged: () => changed.push(1), endpoint: 'http://127.0.0.1:9' })
    connections.push(c)
    const pose = Array.from({ length: POSE_LENGTH }, (_, i) => (i === 6 ? 1 : 0))
    c.replayPeers({ joins: [{ id: 'bo', name: 'Bo', avatar: 'panda', colour: '#17bebb', experience: 'venue', role: 'visitor' }], poses: [{ id: 'bo', pose }], leaves: [] }, 10)
    expect(c.peerList.map((p) => p.name)).toEqual(['Bo'])
    c.clearReplayPeers()
    expect(c.peers.size).toBe(0)
    expect(c.peerList).toEqual([])
    // The slot is free again: the next replay's visitor gets it and its pose.
    c.replayPeers({ joins: [{ id: 'cy', name: 'Cy', avatar: 'crane', colour: '#d7263d', experience: 'venue', role: 'visitor' }], poses: [{ id: 'cy', pose }], leaves: [] }, 20)
    const cy = c.peers.get('cy')!
    expect(c.poses.lastTime(cy.slot)).toBe(20)
  })
})
