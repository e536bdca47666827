import { readFile, rename, writeFile } from 'node:fs/promises'
import type { Presence } from '@colyseus/core'

/**
 * Where Tianhe's shared procedure steps outlive the server process: a restart (deploy, crash)
 * must not make a crew redo what it already did. Keyed by room name and instance number, which
 * a restarted server hands out again (lowest free first), so the crew that rejoins finds its steps.
 */
export interface TaskStore {
  /** The steps saved for `key` (step id → who did it); empty when none. */
  load(key: string): Promise<Record<string, string>>
  /** Replaces the steps saved for `key`; an empty record forgets them. */
  save(key: string, tasks: Record<string, string>): Promise<void>
}

/** Hash in Redis (through Colyseus' presence) holding every instance's steps as JSON. */
const REDIS_HASH = 'venue:tasks'

/**
 * Steps in Redis, through the presence's hash commands: with `REDIS_URL` set every process sees
 * them, and they survive any process restarting.
 */
export function createPresenceTaskStore(presence: Presence): TaskStore {
  return {
    async load(key) {
      return parseTasks(await presence.hget(REDIS_HASH, key))
    },
    async save(key, tasks) {
      if (Object.keys(tasks).length === 0) await presence.hdel(REDIS_HASH, key)
      else await presence.hset(REDIS_HASH, key, JSON.stringify(tasks))
    },
  }
}

/**
 * Steps in one small JSON file (the embedded default has no Redis). Writes go through a temporary
 * file and a rename, one at a time, so a crash mid-write leaves the previous file whole.
 */
export function createFileTaskStore(path: string): TaskStore {
  let chain: Promise<unknown> = Promise.resolve()
  const readAll = async (): Promise<Record<string, Record<string, string>>> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
      const out: Record<string, Record<string, string>> = {}
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = parseTasks(JSON.stringify(v))
      return out
    } catch {
      return {} // no file yet, or an unreadable one: start empty rather than refuse the crew
    }
  }
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job)
    chain = next.catch(() => {})
    return next
  }
  return {
    load: (key) => serial(async () => (await readAll())[key] ?? {}),
    save: (key, tasks) =>
      serial(async () => {
        const all = await readAll()
        if (Object.keys(tasks).length === 0) delete all[key]
        else all[key] = tasks
        const tmp = `${path}.${process.pid}.tmp`
        await writeFile(tmp, JSON.stringify(all))
        await rename(tmp, path)
      }),
  }
}

/** Untrusted JSON (a file someone edited, a shared Redis) → only string-to-string entries. */
function parseTasks(raw: string | null): Record<string, string> {
  if (!raw) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (typeof v === 'string') out[k] = v
    return out
  } catch {
    return {}
  }
}
