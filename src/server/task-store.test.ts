import { LocalPresence } from '@colyseus/core'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileTaskStore, createPresenceTaskStore } from './task-store.ts'

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'task-store-')), 'tasks.json')

describe('task stores', () => {
  it('a file store keeps steps per instance across store objects (a restart) and forgets an empty record', async () => {
    const path = tmpFile()
    const first = createFileTaskStore(path)
    // Concurrent saves from two rooms are written one at a time: neither is lost.
    await Promise.all([first.save('tianhe:1', { 'seal-hatch': 'Yang' }), first.save('tianhe:2', { 'check-oxygen': 'Liu' })])
    const again = createFileTaskStore(path)
    expect(await again.load('tianhe:1')).toEqual({ 'seal-hatch': 'Yang' })
    expect(await again.load('tianhe:2')).toEqual({ 'check-oxygen': 'Liu' })
    expect(await again.load('tianhe:3')).toEqual({})
    await again.save('tianhe:1', {})
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object)).toEqual(['tianhe:2'])
  })

  it('a damaged or hostile file starts empty and keeps only string steps', async () => {
    const path = tmpFile()
    writeFileSync(path, '{not json')
    expect(await createFileTaskStore(path).load('tianhe:1')).toEqual({})
    writeFileSync(path, JSON.stringify({ 'tianhe:1': { ok: 'Yang', bad: 3, worse: { x: 1 } }, 'tianhe:2': [1, 2] }))
    expect(await createFileTaskStore(path).load('tianhe:1')).toEqual({ ok: 'Yang' })
    expect(await createFileTaskStore(path).load('tianhe:2')).toEqual({})
  })

  it('a presence store keeps steps in the presence hash (Redis when scaled out)', async () => {
    const presence = new LocalPresence()
    const store = createPresenceTaskStore(presence)
    await store.save('tianhe:1', { 'seal-hatch': 'Yang' })
    expect(await createPresenceTaskStore(presence).load('tianhe:1')).toEqual({ 'seal-hatch': 'Yang' })
    await store.save('tianhe:1', {})
    expect(await store.load('tianhe:1')).toEqual({})
  })
})
