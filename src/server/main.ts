import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createVenueServer } from './venue-server.ts'

/**
 * `npm run serve`: the built app (dist/) and the venue server on one port.
 *
 * Environment: `PORT` (default 8080), `HOST` (default 0.0.0.0), `STATIC_DIR` (default dist/;
 * `none` serves no files, for extra venue-only processes), `REDIS_URL` (scale out through Redis),
 * `PUBLIC_ADDRESS` (how clients reach this process when scaled out, e.g. `venue.example/2`,
 * see src/server/README.md).
 */
async function main(): Promise<void> {
  const env = process.env
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT 必须是 0–65535 的整数 / PORT must be an integer 0–65535 (got "${env.PORT}")`)
    process.exit(2)
  }
  const staticDir = env.STATIC_DIR === 'none' ? undefined : resolve(env.STATIC_DIR ?? 'dist')
  if (staticDir && !existsSync(resolve(staticDir, 'index.html'))) {
    console.error(`没有找到构建好的应用 / No built app in ${staticDir}: run \`npm run build\` first, or set STATIC_DIR=none.`)
    process.exit(2)
  }
  const server = await createVenueServer({
    port,
    host: env.HOST ?? '0.0.0.0',
    redisUrl: env.REDIS_URL || undefined,
    publicAddress: env.PUBLIC_ADDRESS || undefined,
    staticDir,
  })
  console.log(
    `venue: listening on ${env.HOST ?? '0.0.0.0'}:${server.port}${staticDir ? ` (app from ${staticDir})` : ''}` +
      `${env.REDIS_URL ? ' with Redis presence and driver' : ''}`,
  )
  let closing = false
  const stop = () => {
    if (closing) return
    closing = true
    void server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
