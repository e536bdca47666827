import { describe, expect, it } from 'vitest'
import { createPixelReadback, type ReadbackGL } from './pixel-readback'

/**
 * A fake WebGL2 context with what matters here: objects belong to one context generation, a lost
 * context ignores every call (as WebGL does), a fence of a lost context never signals, and a
 * fence signals only after the GPU "finishes" (`gpuDone`).
 */
function createFakeGL() {
  let generation = 0
  let lost = false
  let bound: FakeBuffer | null = null
  let frameValue = 1
  const misuse: string[] = []
  interface FakeBuffer {
    generation: number
    data: Uint8Array
  }
  interface FakeSync {
    generation: number
    done: boolean
  }
  const syncs: FakeSync[] = []
  const own = (o: { generation: number } | null, what: string) => {
    if (o === null) return false
    if (o.generation !== generation) {
      misuse.push(what + ' of an old context')
      return false
    }
    return true
  }
  const gl: ReadbackGL & { lose(): void; restore(): void; gpuDone(): void; draw(v: number): void; misuse: string[] } = {
    PIXEL_PACK_BUFFER: 1,
    STREAM_READ: 2,
    RGBA: 3,
    UNSIGNED_BYTE: 4,
    SYNC_GPU_COMMANDS_COMPLETE: 5,
    ALREADY_SIGNALED: 6,
    CONDITION_SATISFIED: 7,
    misuse,
    createBuffer() {
      return lost ? null : ({ generation, data: new Uint8Array(0) } as unknown as WebGLBuffer)
    },
    deleteBuffer() {},
    bindBuffer(_t, buffer) {
      if (lost) return
      const b = buffer as unknown as FakeBuffer | null
      bound = b === null || own(b, 'bindBuffer') ? b : null
    },
    bufferData(_t, size) {
      if (!lost && bound) bound.data = new Uint8Array(size)
    },
    readPixels() {
      if (!lost && bound) bound.data.fill(frameValue)
    },
    fenceSync() {
      if (lost) return null
      const s: FakeSync = { generation, done: false }
      syncs.push(s)
      return s as unknown as WebGLSync
    },
    clientWaitSync(sync) {
      const s = sync as unknown as FakeSync
      if (lost || !own(s, 'clientWaitSync')) return 0x911d // WAIT_FAILED
      return s.done ? 6 : 0x911b // TIMEOUT_EXPIRED
    },
    deleteSync() {},
    flush() {},
    getBufferSubData(_t, src, dst, dstOffset, length) {
      if (lost || !bound) return
      ;(dst as Uint8ClampedArray).set(bound.data.subarray(src, src + length), dstOffset)
    },
    isContextLost: () => lost,
    lose() {
      lost = true
    },
    restore() {
      lost = false
      generation++
    },
    gpuDone() {
      for (const s of syncs) s.done = true
    },
    draw(v) {
      frameValue = v
    },
  }
  return gl
}

/** Runs the ring as programme-output does for one frame; returns the first byte of a copied frame, or null. */
function frameOf(ring: ReturnType<typeof createPixelReadback>, gl: ReturnType<typeof createFakeGL>, dst: Uint8ClampedArray, value: number) {
  gl.draw(value)
  ring.capture(4, 2)
  gl.gpuDone()
  if (!ring.take()) return null
  return ring.copyRows(dst, 1 << 20) ? dst[0] : null
}

describe('pixel readback ring', () => {
  it('reads frames back through two buffers, in bounded row slices', () => {
    const gl = createFakeGL()
    const ring = createPixelReadback(gl)
    const dst = new Uint8ClampedArray(4 * 2 * 4)
    gl.draw(9)
    expect(ring.capture(4, 2)).toBe(true)
    expect(ring.readyToCopy()).toBe(false) // the GPU has not finished
    expect(ring.capture(4, 2)).toBe(true)
    expect(ring.capture(4, 2)).toBe(false) // both in flight: skipped, never waited on
    gl.gpuDone()
    expect(ring.take()).toBe(true)
    expect(ring.copyingSize()).toEqual({ width: 4, height: 2 })
    expect(ring.copyRows(dst, 16)).toBe(false) // one row of 16 bytes
    expect(ring.copyRows(dst, 16)).toBe(true)
    expect(Array.from(dst).every((b) => b === 9)).toBe(true)
  })

  it('keeps capturing after the context is lost and restored', () => {
    const gl = createFakeGL()
    const ring = createPixelReadback(gl)
    const dst = new Uint8ClampedArray(4 * 2 * 4)
    expect(frameOf(ring, gl, dst, 1)).toBe(1)
    // Two readbacks in flight when the GPU resets: their fences will never signal.
    ring.capture(4, 2)
    ring.capture(4, 2)
    gl.lose()
    expect(ring.capture(4, 2)).toBe(false)
    expect(ring.readyToCopy()).toBe(false)
    expect(ring.lost).toBe(true) // seen from isContextLost(), before any event
    ring.contextLost() // the event, later: counted once
    expect(ring.losses).toBe(1)
    gl.restore()
    ring.contextRestored()
    expect(ring.lost).toBe(false)
    const copied: (number | null)[] = []
    for (let v = 2; v < 6; v++) copied.push(frameOf(ring, gl, dst, v))
    expect(copied).toEqual([2, 3, 4, 5])
    expect(gl.misuse).toEqual([]) // nothing of the old context was used on the new one
  })

  it('drops a half-copied frame when the context goes, and copies whole frames after', () => {
    const gl = createFakeGL()
    const ring = createPixelReadback(gl)
    const dst = new Uint8ClampedArray(4 * 2 * 4)
    gl.draw(7)
    ring.capture(4, 2)
    gl.gpuDone()
    ring.take()
    expect(ring.copyRows(dst, 16)).toBe(false)
    gl.lose()
    ring.contextLost()
    expect(ring.copyingSize()).toBeNull()
    expect(ring.copyRows(dst, 16)).toBe(false)
    gl.restore()
    ring.contextRestored()
    expect(frameOf(ring, gl, dst, 8)).toBe(8)
  })
})
