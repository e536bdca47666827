import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateVrmFile } from '../core/avatar/vrm-validation'
import { validateRecording } from '../core/replay/validate-recording'
import { createHostileCorpus, texturedAvatar } from './make-hostile-corpus'

const root = process.cwd()
const avatar = new Uint8Array(readFileSync(join(root, 'assets/avatars/lingjing-host.vrm')))
const session = readFileSync(join(root, 'xr-sessions/livestream/host-wave-expressions.json'), 'utf8')
const corpus = createHostileCorpus(avatar, session)
const CJK = /[\u4e00-\u9fff]/

const buffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

describe('hostile corpus (issue 16)', () => {
  it('has at least 100 files, avatars and recordings, with unique names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100)
    expect(corpus.filter((e) => e.kind === 'avatar').length).toBeGreaterThanOrEqual(60)
    expect(corpus.filter((e) => e.kind === 'recording').length).toBeGreaterThanOrEqual(30)
    expect(new Set(corpus.map((e) => e.name)).size).toBe(corpus.length)
    const dir = process.env.LINGJING_WRITE_CORPUS
    if (dir) {
      mkdirSync(dir, { recursive: true })
      for (const e of corpus) writeFileSync(join(dir, e.name), e.kind === 'avatar' ? e.bytes : e.text)
      writeFileSync(join(dir, 'expected.json'), JSON.stringify(corpus.map(({ name, expect, note }) => ({ name, expect, note })), null, 1))
    }
  })

  it.each(corpus.filter((e) => e.kind === 'avatar').map((e) => [e.name, e] as const))('avatar %s gets its expected outcome', (_name, entry) => {
    if (entry.kind !== 'avatar') return
    const result = validateVrmFile(buffer(entry.bytes))
    if (entry.expect === 'ok') {
      expect(result.error).toBeUndefined()
      expect(result.ok).toBe(true)
      expect(result.name).toBe(entry.expectName)
      return
    }
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe(entry.expect)
    expect(result.error?.message.zh).toMatch(CJK)
    expect(result.error?.message.en.length).toBeGreaterThan(20)
    // A refusal says what to do, in plain words: never a raw engine message.
    expect(result.error?.message.en).not.toMatch(/RangeError|TypeError|Maximum call stack|undefined/)
  })

  it.each(corpus.filter((e) => e.kind === 'recording').map((e) => [e.name, e] as const))('recording %s gets its expected outcome', (_name, entry) => {
    if (entry.kind !== 'recording') return
    const result = validateRecording(entry.text)
    if (entry.expect === 'ok') {
      expect(result.ok).toBe(true)
      return
    }
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe(entry.expect)
    expect(result.error.message.zh).toMatch(CJK)
    expect(result.error.message.en.length).toBeGreaterThan(20)
  })

  it('the shipped avatar, its VRM 0.x variant, a textured copy and every shipped session still pass', () => {
    expect(validateVrmFile(buffer(avatar))).toMatchObject({ ok: true, version: '1.0' })
    const vrm0 = join(mkdtempSync(join(tmpdir(), 'lingjing-vrm0-')), 'host-vrm0.vrm')
    execFileSync(process.execPath, ['src/tools/make-default-avatar.mjs', '--vrm0', vrm0], { stdio: 'ignore' })
    expect(validateVrmFile(buffer(new Uint8Array(readFileSync(vrm0))))).toMatchObject({ ok: true, version: '0.x' })
    expect(validateVrmFile(buffer(texturedAvatar(avatar)))).toMatchObject({ ok: true, version: '1.0' })
    const sessions = readdirSync(join(root, 'xr-sessions'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && !f.endsWith('.meta.json') && !f.includes('schema'))
    expect(sessions.length).toBeGreaterThanOrEqual(5)
    for (const f of sessions) {
      const result = validateRecording(readFileSync(join(root, 'xr-sessions', f), 'utf8'))
      expect(result.ok ? 'ok' : `${f}: ${result.error.message.en}`).toBe('ok')
    }
  })
})
