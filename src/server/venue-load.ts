import { Client, type Room } from 'colyseus.js'
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { POSE_LENGTH, quantisePose } from '../core/venue/pose.ts'
import { MSG, POSE_SEND_HZ } from '../core/venue/protocol.ts'

/**
 * `npm run bench:venue`: N simulated visitors (default 100) in ONE venue room over loopback, each
 * sending a quantised head-and-hands pose at 20 Hz for a fixed time (default 15 s). The server
 * runs in its own process (dist-server/main.js, as in production), the bots in this one. Prints the
 * server's patch tick (from its `/health`) p50/p95 (time to encode and send one state patch to everybody), bytes a
 * second per client (down and up) and pose latency p50/p95 (a probe visitor's pose leaving its
 * client → the observer decoding it; includes the 50 ms patch interval). Loopback, bounded in
 * count and time: a benchmark, not a test. Options: `--clients N --seconds S`.
 */
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`)
  return v
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

type VRoom = Room<{ visitors: Map<string, { pose: number[] }> }>

async function main(): Promise<void> {
  const clients = Math.min(100, Math.round(arg('clients', 100)))
  const seconds = Math.min(60, arg('seconds', 15))
  const child = spawn(process.execPath, [fileURLToPath(new URL('./main.js', import.meta.url))], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', STATIC_DIR: 'none', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on [^:]+:(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`venue server exited (${code}): ${out}`)))
  })
  const endpoint = `http://127.0.0.1:${port}`
  const rooms: VRoom[] = []
  const down = new Array<number>(clients).fill(0)
  const up = new Array<number>(clients).fill(0)
  for (let i = 0; i < clients; i++) {
    const r = (await new Client(endpoint).joinOrCreate('venue', { name: `bot ${i}` })) as VRoom
    r.onMessage('*', () => {})
    // Bots other than the observer count the patch bytes but skip decoding them: 100 decoders in
    // one process would starve the bots' own 20 Hz sending on a small machine.
    if (i !== clients - 1) (r as unknown as { serializer: { patch(): void } }).serializer.patch = () => {}
    const ws = (r.connection.transport as unknown as { ws: { on(e: 'message', l: (d: ArrayBuffer | Buffer) => void): void } }).ws
    ws.on('message', (d) => {
      down[i] += d.byteLength
    })
    const conn = r.connection as unknown as { send(d: Uint8Array): void }
    const send = conn.send.bind(conn)
    conn.send = (d) => {
      up[i] += d.byteLength
      send(d)
    }
    rooms.push(r)
  }
  const roomIds = new Set(rooms.map((r) => r.roomId))
  // Probes: the first 10 visitors encode a counter in head x; the last visitor observes.
  const probes = Math.min(10, clients - 1)
  const observer = rooms[clients - 1]
  const sentAt = new Map<string, number>() // `${sessionId}:${value}` → send time
  const lastSeen = new Map<string, number>()
  const latencies: number[] = []
  observer.onStateChange((state) => {
    const now = performance.now()
    for (let p = 0; p < probes; p++) {
      const id = rooms[p].sessionId
      const v = state.visitors.get(id)?.pose[0]
      if (v === undefined || v === lastSeen.get(id)) continue
      lastSeen.set(id, v)
      const t = sentAt.get(`${id}:${v}`)
      if (t !== undefined) latencies.push(now - t)
    }
  })

  for (let i = 0; i < clients; i++) down[i] = up[i] = 0
  const f = new Float32Array(POSE_LENGTH)
  const q = new Int16Array(POSE_LENGTH)
  let tick = 0
  let posesSent = 0
  const t0 = performance.now()
  const interval = setInterval(() => {
    tick++
    for (let i = 0; i < clients; i++) {
      const phase = tick / POSE_SEND_HZ + i
      f.fill(0)
      f[0] = i < probes ? ((tick % 5000) - 2500) / 1000 : Math.sin(phase) * 2
      f[1] = 1.6
      f[2] = Math.cos(phase) * 2
      f[6] = f[13] = f[20] = 1
      f[7] = f[0] - 0.3
      f[8] = 1.2
      f[14] = f[0] + 0.3
      f[15] = 1.2 + Math.sin(phase * 3) * 0.1
      quantisePose(f, q)
      if (i < probes) sentAt.set(`${rooms[i].sessionId}:${q[0]}`, performance.now())
      rooms[i].send(MSG.pose, Array.from(q))
      posesSent++
    }
  }, 1000 / POSE_SEND_HZ)
  await new Promise((r) => setTimeout(r, seconds * 1000))
  clearInterval(interval)
  const elapsed = (performance.now() - t0) / 1000
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length / elapsed
  const health = (await (await fetch(`${endpoint}/health`)).json()) as { patchTickMs: { p50: number; p95: number; samples: number } }
  const result = {
    clients,
    rooms: roomIds.size,
    seconds: Math.round(elapsed * 10) / 10,
    serverPatchTickMs: health.patchTickMs,
    posesPerSecondPerClient: Math.round((posesSent / clients / elapsed) * 10) / 10,
    bytesPerSecondPerClient: { down: Math.round(mean(down)), up: Math.round(mean(up)) },
    poseLatencyMs: { p50: +percentile(latencies, 50).toFixed(1), p95: +percentile(latencies, 95).toFixed(1), samples: latencies.length },
    node: process.version,
  }
  console.log(JSON.stringify(result, null, 2))
  console.log(
    `venue load: ${clients} visitors in ${roomIds.size} room(s) for ${result.seconds} s at ${result.posesPerSecondPerClient} poses/s each — server patch tick p95 ${result.serverPatchTickMs.p95} ms; ` +
      `per client ${result.bytesPerSecondPerClient.down} B/s down, ${result.bytesPerSecondPerClient.up} B/s up; pose latency p95 ${result.poseLatencyMs.p95} ms`,
  )
  await Promise.all(rooms.map((r) => r.leave(true).catch(() => {})))
  child.kill('SIGTERM')
  process.exit(0)
}

void main()
