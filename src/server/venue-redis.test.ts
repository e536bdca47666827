import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Client, type Room } from 'colyseus.js'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Two venue server processes sharing rooms through Redis (Debian's redis-server, installed by .ci/run).
const REDIS = '/usr/bin/redis-server'
const root = fileURLToPath(new URL('../..', import.meta.url))
const haveRedis = existsSync(REDIS)
if (!haveRedis) console.warn(`venue-redis: skipped, ${REDIS} is not installed (apt-get install redis-server; .ci/run does).`)

const children: ChildProcess[] = []

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Starts a child and resolves once a line of its output matches `ready`. */
function start(cmd: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${out}`)), 20_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (ready.test(out)) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${out}`)))
  })
}

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

let ports: number[] = []

beforeAll(async () => {
  if (!haveRedis) return
  await build({ configFile: `${root}src/server/build.config.ts`, logLevel: 'silent' })
  const redisPort = await freePort()
  await start(REDIS, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/)
  ports = [await freePort(), await freePort()]
  for (const port of ports) {
    await start(
      process.execPath,
      ['dist-server/main.js'],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        STATIC_DIR: 'none',
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      },
      /venue: listening/,
    )
  }
}, 60_000)

afterAll(() => {
  for (const c of children.reverse()) c.kill('SIGTERM')
})

describe.skipIf(!haveRedis)('venue scaled out with Redis (two processes)', () => {
  it('two visitors connected to different processes meet in one room', async () => {
    type R = Room<{ visitors: Map<string, { name: string; pose: number[] }> }>
    const a = (await new Client(`http://127.0.0.1:${ports[0]}`).joinOrCreate('venue', { name: 'East' })) as R
    const b = (await new Client(`http://127.0.0.1:${ports[1]}`).joinOrCreate('venue', { name: 'West' })) as R
    try {
      expect(b.roomId).toBe(a.roomId)
      await until(() => a.state.visitors?.size === 2 && b.state.visitors?.size === 2, 'both present on both')
      expect(b.state.visitors.get(a.sessionId)?.name).toBe('East')
      // Both processes report the same room (one owner) through the Redis driver.
      const health = await Promise.all(ports.map(async (p) => (await (await fetch(`http://127.0.0.1:${p}/health`)).json()) as { processId: string; rooms: { venue: { clients: number } } }))
      expect(health[0].processId).not.toBe(health[1].processId)
      expect(health.map((h) => h.rooms.venue.clients)).toEqual([2, 2])
    } finally {
      await a.leave(true)
      await b.leave(true)
    }
  }, 30_000)
})
