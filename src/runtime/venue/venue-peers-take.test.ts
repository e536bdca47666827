import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createPeerFrameCollector, decodePeerFrame, encodePeerFrame, type PeerFrame } from '../../core/venue/peer-events'
import { POSE_LENGTH, quantisePose } from '../../core/venue/pose'
import { createVenueServer } from '../../server/venue-server'
import { createVenueConnection, type VenueConnection } from './venue-connection'

// Peers in a take, against the real server in Node. A file of its own: Colyseus' matchmaker is a
// module singleton (one venue server per process), and venue-connection.test.ts restarts its own.
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const connections: VenueConnection[] = []
afterAll(() => {
  for (const c of connections) c.leave()
})

describe('venue connection and takes', () => {
  it('records the peers it receives into a take, and a replay with no server shows the same peers at the same poses', async () => {
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
