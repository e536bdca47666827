import { createReadStream, existsSync, statSync } from 'node:fs'
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Plugin } from 'vite'

/** One folder of the repository (or of a package) served under a URL prefix. */
export interface StaticMount {
  /** URL prefix, e.g. `/input-profiles/`. */
  urlPrefix: string
  /** Absolute folder on disk. */
  dir: string
  /** Sub-folders to publish; everything when omitted. Keeps the build small (the full profile set is ~100 MB). */
  only?: string[]
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.vrm': 'model/gltf-binary',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ktx2': 'image/ktx2',
  '.svg': 'image/svg+xml',
  '.webm': 'video/webm',
  '.md': 'text/markdown; charset=utf-8',
}

function isAllowed(mount: StaticMount, relative: string): boolean {
  if (!mount.only) return true
  const first = relative.split('/')[0]
  return mount.only.includes(first) || mount.only.includes(relative)
}

/**
 * Serves repository folders (generated assets, xr-sessions, self-hosted controller/hand models) in
 * `vite dev`/`preview` and copies them into the build, so the app needs no CDN: a Quest on the LAN
 * with no internet must still load its controller models.
 */
export function staticMounts(mounts: StaticMount[], routes: string[]): Plugin {
  let outDir = ''
  const middleware = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0])
    for (const mount of mounts) {
      if (!url.startsWith(mount.urlPrefix)) continue
      const relative = url.slice(mount.urlPrefix.length)
      const file = normalize(join(mount.dir, relative))
      // Refuse path traversal out of the mounted folder.
      if (!file.startsWith(resolve(mount.dir) + sep) || !isAllowed(mount, relative)) break
      if (!existsSync(file) || !statSync(file).isFile()) break
      res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream')
      res.setHeader('Cache-Control', 'no-cache')
      createReadStream(file).pipe(res)
      return
    }
    next()
  }
  return {
    name: 'lingjing-static-mounts',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    configureServer(server) {
      server.middlewares.use(middleware)
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware)
    },
    async closeBundle() {
      if (!outDir || !existsSync(join(outDir, 'index.html'))) return
      for (const mount of mounts) {
        const target = join(outDir, mount.urlPrefix)
        await mkdir(target, { recursive: true })
        const entries = mount.only ?? ['']
        for (const entry of entries) {
          const from = join(mount.dir, entry)
          if (existsSync(from)) await cp(from, join(target, entry), { recursive: true })
        }
      }
      // Deep links from any static host: every route gets its own copy of the shell, and 404.html
      // serves hosts that fall back to it.
      const shell = await readFile(join(outDir, 'index.html'), 'utf8')
      for (const route of routes) {
        await mkdir(join(outDir, route), { recursive: true })
        await writeFile(join(outDir, route, 'index.html'), shell)
      }
      await writeFile(join(outDir, '404.html'), shell)
    },
  }
}
