import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
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
})
