import { describe, expect, it, vi } from 'vitest'
import { downloadAvatar, readUserVrmFile } from './load-vrm'

/** A Response whose body streams `chunks` of `size` bytes, counting what was pulled. */
function streamed(chunks: number, size: number, headers: Record<string, string> = {}) {
  let pulled = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close()
      pulled++
      controller.enqueue(new Uint8Array(size))
    },
  })
  return { response: new Response(body, { status: 200, headers }), pulled: () => pulled }
}

describe('downloadAvatar (issue 16 item 10)', () => {
  it('refuses a Content-Length over the cap before reading the body, and aborts', async () => {
    const s = streamed(100, 1024, { 'Content-Length': String(200 * 1024 * 1024) })
    let signal: AbortSignal | undefined
    const fetch = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => ((signal = init?.signal ?? undefined), s.response))
    const result = await downloadAvatar('https://cdn.example/a.vrm?sig=abcdef0123456789abcdef', { fetch, maxBytes: 1024 * 1024 })
    expect(result).toMatchObject({ ok: false, code: 'too-large' })
    // At most the one chunk a stream queues by itself: nothing was read.
    expect(s.pulled()).toBeLessThanOrEqual(1)
    expect(signal?.aborted).toBe(true)
  })

  it('stops a body that passes the cap without a length (or with a lying one)', async () => {
    const s = streamed(10_000, 64 * 1024, { 'Content-Length': '10' })
    const result = await downloadAvatar('https://cdn.example/a.vrm', { fetch: async () => s.response, maxBytes: 1024 * 1024 })
    expect(result).toMatchObject({ ok: false, code: 'too-large' })
    expect(s.pulled()).toBeLessThanOrEqual(18) // 17 chunks pass 1 MB, plus one the stream may have queued
  })

  it('gives up after the timeout and says so in both languages, without the URL secret', async () => {
    const fetch = (_u: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const result = await downloadAvatar('https://cdn.example/a.vrm?token=s3cret', { fetch, timeoutMs: 20 })
    expect(result).toMatchObject({ ok: false, code: 'download-timeout' })
    if (result.ok) return
    expect(result.message.zh).toMatch(/秒/)
    expect(result.message.en).toMatch(/did not finish/)
    expect(JSON.stringify(result)).not.toContain('s3cret')
  })

  it('an HTTP error and a network error are refusals; a good body comes back whole', async () => {
    expect(await downloadAvatar('/x.vrm', { fetch: async () => new Response('no', { status: 404 }) })).toMatchObject({ ok: false, code: 'download-failed' })
    expect(await downloadAvatar('/x.vrm', { fetch: async () => Promise.reject(new TypeError('Failed to fetch')) })).toMatchObject({ ok: false, code: 'download-failed' })
    const ok = await downloadAvatar('/x.vrm', { fetch: async () => streamed(3, 1000).response })
    expect(ok.ok && ok.buffer.byteLength).toBe(3000)
  })

  it('the experience leaving aborts the download', async () => {
    const leave = new AbortController()
    const fetch = (_u: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const pending = downloadAvatar('/x.vrm', { fetch, signal: leave.signal })
    leave.abort()
    expect(await pending).toMatchObject({ ok: false, code: 'download-failed' })
  })
})

describe('readUserVrmFile', () => {
  it('checks File.size before reading a byte', async () => {
    const arrayBuffer = vi.fn(async () => new ArrayBuffer(8))
    const result = await readUserVrmFile({ name: 'huge.vrm', size: 3 * 1024 ** 3, arrayBuffer })
    expect(result).toMatchObject({ ok: false, code: 'too-large' })
    expect(arrayBuffer).not.toHaveBeenCalled()
  })

  it('a read failure is a clear bilingual error', async () => {
    const result = await readUserVrmFile({
      name: 'gone\u202E.vrm',
      size: 100,
      arrayBuffer: () => Promise.reject(new DOMException('A requested file or directory could not be found', 'NotFoundError')),
    })
    expect(result).toMatchObject({ ok: false, code: 'read-failed' })
    if (result.ok) return
    expect(result.message.zh).toMatch(/无法读取文件/)
    expect(result.message.en).toMatch(/could not be read.*NotFoundError/)
    expect(result.message.en).not.toContain('\u202E')
  })

  it('a small file that is not a VRM goes to the validator', async () => {
    const result = await readUserVrmFile({ name: 'x.vrm', size: 4, arrayBuffer: async () => new Uint8Array([1, 2, 3, 4]).buffer })
    expect(result).toMatchObject({ ok: false, code: 'not-glb' })
  })
})
