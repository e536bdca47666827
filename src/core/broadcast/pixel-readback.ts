/**
 * The asynchronous readback ring of the programme output: `readPixels` into one of two pixel-pack
 * buffers plus a fence, picked up a frame or two later when the GPU is done, then copied out in
 * bounded row slices. Framework-free (the WebGL2 calls go through {@link ReadbackGL}) so the ring,
 * and what it does when the context is lost, is unit-tested with a fake GL.
 *
 * Context loss: every buffer and fence of the old context is dead. A fence of a lost context never
 * signals, so without a rebuild both buffers would stay "in flight" and every capture after the
 * restore would be skipped: recording and live output freeze with no error. `contextLost()` drops
 * them (no GL calls: they would fail), `contextRestored()` creates fresh buffers on the new context.
 */

/** The slice of WebGL2RenderingContext the ring uses (a fake in tests). */
export interface ReadbackGL {
  readonly PIXEL_PACK_BUFFER: number
  readonly STREAM_READ: number
  readonly RGBA: number
  readonly UNSIGNED_BYTE: number
  readonly SYNC_GPU_COMMANDS_COMPLETE: number
  readonly ALREADY_SIGNALED: number
  readonly CONDITION_SATISFIED: number
  createBuffer(): WebGLBuffer | null
  deleteBuffer(buffer: WebGLBuffer | null): void
  bindBuffer(target: number, buffer: WebGLBuffer | null): void
  bufferData(target: number, size: number, usage: number): void
  readPixels(x: number, y: number, width: number, height: number, format: number, type: number, offset: number): void
  fenceSync(condition: number, flags: number): WebGLSync | null
  clientWaitSync(sync: WebGLSync, flags: number, timeout: number): number
  deleteSync(sync: WebGLSync | null): void
  flush(): void
  getBufferSubData(target: number, srcByteOffset: number, dst: ArrayBufferView, dstOffset: number, length: number): void
  isContextLost(): boolean
}

interface Slot {
  buffer: WebGLBuffer | null
  sync: WebGLSync | null
  /** True while its rows are being copied out (after the fence, before the last row). */
  busy: boolean
  width: number
  height: number
}

/** The ring; see the file header. */
export interface PixelReadback {
  /** True between `contextLost()` (or a context that reports itself lost) and `contextRestored()`. */
  readonly lost: boolean
  /** Times the context was lost while the ring lived. */
  readonly losses: number
  /**
   * Starts a readback of the bound framebuffer's `width`×`height` RGBA pixels. Returns false when
   * it was skipped: both buffers still in flight or being copied (never wait), or the context is lost.
   */
  capture(width: number, height: number): boolean
  /** True when a readback is finished on the GPU (or half copied) and can be copied without waiting. */
  readyToCopy(): boolean
  /** The size of the readback being copied (after `take`), or null. */
  copyingSize(): { width: number; height: number } | null
  /** Takes the oldest finished readback for copying; returns false when none is ready. */
  take(): boolean
  /**
   * Copies at most `maxBytes` (at least one row) of the taken readback into `dst`, at the same byte
   * offsets. Returns true when its last row is in `dst` (the buffer is free again).
   */
  copyRows(dst: Uint8ClampedArray, maxBytes: number): boolean
  /** Drops every buffer and fence of the lost context (no GL calls). */
  contextLost(): void
  /** Creates fresh buffers on the restored context. */
  contextRestored(): void
  dispose(): void
}

/** Creates the two-buffer readback ring on a WebGL2 context. */
export function createPixelReadback(gl: ReadbackGL): PixelReadback {
  const slots: Slot[] = [0, 1].map(() => ({ buffer: gl.createBuffer(), sync: null, busy: false, width: 0, height: 0 }))
  let next = 0
  let copying: Slot | null = null
  let copiedRows = 0
  let lost = false
  let losses = 0

  function oldestInFlight(): Slot {
    // Readbacks finish in order: the oldest in flight is the next one to be written.
    return slots[next].sync !== null ? slots[next] : slots[(next + 1) % slots.length]
  }

  function dropAll(): void {
    for (const slot of slots) {
      slot.buffer = null
      slot.sync = null
      slot.busy = false
      slot.width = 0
      slot.height = 0
    }
    copying = null
    copiedRows = 0
    next = 0
  }

  /** A context can be lost before its event arrives: treat it as lost at once. */
  function isLost(): boolean {
    if (!lost && gl.isContextLost()) self.contextLost()
    return lost
  }

  const self: PixelReadback = {
    get lost() {
      return lost
    },
    get losses() {
      return losses
    },
    capture(width, height) {
      if (isLost()) return false
      const slot = slots[next]
      if (slot.sync !== null || slot.busy || slot.buffer === null) return false
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, slot.buffer)
      if (slot.width !== width || slot.height !== height) {
        gl.bufferData(gl.PIXEL_PACK_BUFFER, width * height * 4, gl.STREAM_READ)
        slot.width = width
        slot.height = height
      }
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, 0)
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
      slot.sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0)
      gl.flush()
      next = (next + 1) % slots.length
      return true
    },
    readyToCopy() {
      if (isLost()) return false
      if (copying) return true
      const oldest = oldestInFlight()
      if (oldest.sync === null) return false
      const state = gl.clientWaitSync(oldest.sync, 0, 0)
      return state === gl.ALREADY_SIGNALED || state === gl.CONDITION_SATISFIED
    },
    copyingSize() {
      return copying ? { width: copying.width, height: copying.height } : null
    },
    take() {
      if (copying) return true
      if (!self.readyToCopy()) return false
      const slot = oldestInFlight()
      gl.deleteSync(slot.sync)
      slot.sync = null
      // Reserved until its last row is copied: capture() skips it meanwhile.
      slot.busy = true
      copying = slot
      copiedRows = 0
      return true
    },
    copyRows(dst, maxBytes) {
      const slot = copying
      if (slot === null || isLost()) return false
      const rowBytes = slot.width * 4
      if (copiedRows < slot.height) {
        const rows = Math.max(1, Math.min(slot.height - copiedRows, Math.floor(maxBytes / rowBytes)))
        gl.bindBuffer(gl.PIXEL_PACK_BUFFER, slot.buffer)
        gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, copiedRows * rowBytes, dst, copiedRows * rowBytes, rows * rowBytes)
        gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
        copiedRows += rows
      }
      if (copiedRows < slot.height) return false
      slot.busy = false
      copying = null
      return true
    },
    contextLost() {
      if (lost) return
      lost = true
      losses++
      dropAll()
    },
    contextRestored() {
      // The event can come without a loss event seen (listener added late): rebuild either way.
      dropAll()
      lost = false
      for (const slot of slots) slot.buffer = gl.createBuffer()
    },
    dispose() {
      if (lost || gl.isContextLost()) return
      for (const slot of slots) {
        if (slot.sync) gl.deleteSync(slot.sync)
        gl.deleteBuffer(slot.buffer)
      }
    },
  }
  return self
}
