import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createVenueServer, type VenueServer } from '../../server/venue-server'
import { createPeerFrameCollector, decodePeerFrame, encodePeerFrame, type PeerFrame } from '../../core/venue/peer-events'
import { POSE_LENGTH, quantisePose } from '../../core/venue/pose'
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

describe('venue connection', () => {
  it('reconnects both visitors after the server restarts, keeps the crew steps, and says nothing when it does', async () => {
    // The embedded default keeps Tianhe's steps in a JSON file; this test gets its own.
    const taskStorePath = join(mkdtempSync(join(tmpdir(), 'venue-tasks-')), 'tasks.json')
    server = await createVenueServer({ port: 0, taskStorePath })
    const port = server.port
    const notices: VenueNotice[] = []
    const open = (name: string) => {
      const c = createVenueConnection({ now: () => performance.now(), notify: (n) => notices.push(n), onPeersChanged: () => {}, endpoint: `http://127.0.0.1:${port}` })
      connections.push(c)
      c.join('tianhe', { name, avatar: 'panda', colour: '#17bebb' })
      return c
    }
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
    expect(a.snapshot().room).toBe('tianhe')
    // The steps survived the restart, with who did them.
    await until(() => b.tasks().size === 2, 'steps back')
    expect(Object.fromEntries(b.tasks())).toEqual({ 'morning-check/wake-console': 'Yang', 'morning-check/read-pressure': 'Wang' })
    expect(notices).toEqual([])
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

  it('records the peers it receives into a take, and a replay with no server shows the same peers at the same poses', async () => {
    // One venue server per process (Colyseus' matchmaker is a module singleton): the restart test's goes first.
    await server?.close()
    server = null
    const own = await createVenueServer({ port: 0, taskStorePath: join(mkdtempSync(join(tmpdir(), 'venue-tasks-')), 'tasks.json') })
    try {
      const open = (name: string) => {
        const c = createVenueConnection({ now: () => performance.now(), notify: () => {}, onPeersChanged: () => {}, endpoint: `http://127.0.0.1:${own.port}` })
        connections.push(c)
        c.join('venue', { name, avatar: 'panda', colour: '#17bebb' })
        return c
      }
      const pose = (x: number) => {
        const f = new Float32Array(POSE_LENGTH)
        for (let p = 0; p < 3; p++) f[p * 7 + 6] = 1
        f[0] = x
        f[1] = 1.6
        return quantisePose(f, new Int16Array(POSE_LENGTH))
      }
      const ada = open('Ada')
      const bo = open('Bo')
      await until(() => ada.state === 'online' && bo.state === 'online' && ada.peers.size === 1, 'Ada sees Bo')
      bo.sendPose(pose(0.25))
      await until(() => [...ada.peers.values()][0].state.pose[0] === 250, "Bo's first pose")
      // A take starts with Bo already there: his join and latest pose come first.
      const sink = createPeerFrameCollector()
      ada.recordInto(sink)
      const events: { t: number; data: unknown }[] = []
      const frame = (t: number) => {
        ada.pollPoses(t)
        const f = sink.take()
        // Through JSON, as the recording stores it.
        if (f) events.push({ t, data: JSON.parse(JSON.stringify(encodePeerFrame(f))) })
      }
      frame(1000)
      await new Promise((r) => setTimeout(r, 100)) // the server drops poses above 30 Hz
      bo.sendPose(pose(1.5))
      await until(() => (frame(2000), events.length === 2), "Bo's move")
      bo.leave()
      await until(() => (frame(3000), events.length === 3), "Bo's leave")
      ada.recordInto(null)
      const frames = events.map((e) => decodePeerFrame(e.data)!) as PeerFrame[]
      expect(frames[0].joins.map((j) => [j.name, j.experience, j.role])).toEqual([['Bo', 'venue', 'visitor']])
      expect(frames[1].poses[0].pose[0]).toBe(1500)
      expect(frames[2].leaves).toHaveLength(1)

      // The replay: a connection that never joins (a replay never connects) gets the frames.
      let now = 0
      const replay = createVenueConnection({ now: () => now, notify: () => {}, onPeersChanged: () => {}, endpoint: 'http://127.0.0.1:9' })
      replay.replayPeers(frames[0], 1000)
      now = 1000
      expect(replay.snapshot()).toMatchObject({ state: 'offline', peers: [{ name: 'Bo', experience: 'venue', head: [0.25, 1.6, 0] }] })
      replay.replayPeers(frames[1], 2000)
      now = 2000
      expect(replay.snapshot().peers[0].head).toEqual([1.5, 1.6, 0])
      replay.replayPeers(frames[2], 3000)
      expect(replay.snapshot().peers).toEqual([])
    } finally {
      await own.close()
    }
  }, 30_000)
})
