/**
 * Encodes re-shot frames with WebCodecs and muxes them into WebM in memory.
 *
 * WebCodecs `VideoEncoder` (not MediaRecorder) because an offline render must place every frame at
 * exactly n/fps whatever the wall clock did; MediaRecorder stamps frames with capture time. VP8
 * first (the cheapest to encode in software), VP9 if VP8 is refused. The muxer is Mediabunny
 * (EncodedVideoPacketSource + WebMOutputFormat + BufferTarget): maintained (it succeeds the
 * author's webm-muxer), it writes Duration and Cues so the file seeks, and it respects back-pressure.
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Output, WebMOutputFormat } from 'mediabunny'
import { outputTimestampUs } from '../../core/broadcast/camera-programme'

/** Options of {@link createReshootEncoder}. */
export interface ReshootEncoderOptions {
  width: number
  height: number
  fps: number
}

/** Counters for the re-shoot's stats. */
export interface ReshootEncoderStats {
  /** Frames handed to the encoder. */
  submitted: number
  /** Encoded chunks muxed so far. */
  encoded: number
  /** Longest encoder queue seen (frames waiting inside the encoder). */
  maxQueue: number
}

/** See {@link createReshootEncoder}. */
export interface ReshootEncoder {
  /** The WebCodecs codec string in use (`vp8` or `vp09.…`). */
  readonly codec: string
  readonly mimeType: string
  readonly stats: ReshootEncoderStats
  /** Encodes output frame n from top-down RGBA bytes (width × height × 4); timestamp n/fps. */
  encode(rgba: Uint8Array, n: number): void
  /** Flushes the encoder, finalizes the file and returns its bytes. */
  finish(): Promise<Uint8Array>
  /** Releases the encoder (after an error). */
  close(): void
}

const CANDIDATES = [
  { codec: 'vp8', mux: 'vp8' },
  { codec: 'vp09.00.10.08', mux: 'vp9' },
] as const

/** Picks the first codec `VideoEncoder.isConfigSupported` accepts at this size; rejects if none. */
export async function createReshootEncoder(options: ReshootEncoderOptions): Promise<ReshootEncoder> {
  if (typeof VideoEncoder === 'undefined') throw new Error('this browser has no WebCodecs VideoEncoder')
  const { width, height, fps } = options
  // About 0.1 bit per pixel per frame: clean for a studio picture, ~3 Mbit/s at 720p30.
  const bitrate = Math.round(width * height * fps * 0.11)
  let chosen: (typeof CANDIDATES)[number] | null = null
  let config: VideoEncoderConfig | null = null
  for (const candidate of CANDIDATES) {
    const c: VideoEncoderConfig = { codec: candidate.codec, width, height, bitrate, framerate: fps, latencyMode: 'quality' }
    const support = await VideoEncoder.isConfigSupported(c)
    if (support.supported) {
      chosen = candidate
      config = c
      break
    }
  }
  if (!chosen || !config) throw new Error(`VideoEncoder.isConfigSupported refused VP8 and VP9 at ${width}×${height}`)

  const target = new BufferTarget()
  const output = new Output({ format: new WebMOutputFormat(), target })
  const source = new EncodedVideoPacketSource(chosen.mux)
  output.addVideoTrack(source, { frameRate: fps })
  await output.start()

  const stats: ReshootEncoderStats = { submitted: 0, encoded: 0, maxQueue: 0 }
  let failure: Error | null = null
  // Packets go to the muxer in order, each after the last was accepted (the muxer's back-pressure).
  let muxed: Promise<void> = Promise.resolve()
  const encoder = new VideoEncoder({
    output(chunk, meta) {
      const packet = EncodedPacket.fromEncodedChunk(chunk)
      muxed = muxed.then(() => source.add(packet, meta)).then(() => {
        stats.encoded++
      })
      muxed.catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error))
      })
    },
    error(error) {
      failure ??= error
    },
  })
  encoder.configure(config)
  // One init object, reused: only the timing changes from frame to frame.
  const init: VideoFrameBufferInit = { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: 0, duration: 0 }
  const keyEvery = fps * 2

  return {
    codec: chosen.codec,
    mimeType: `video/webm; codecs="${chosen.mux}"`,
    stats,
    encode(rgba, n) {
      if (failure) throw failure
      init.timestamp = outputTimestampUs(n, fps)
      init.duration = outputTimestampUs(n + 1, fps) - init.timestamp
      const frame = new VideoFrame(rgba, init)
      try {
        encoder.encode(frame, { keyFrame: n % keyEvery === 0 })
      } finally {
        frame.close()
      }
      stats.submitted++
      if (encoder.encodeQueueSize > stats.maxQueue) stats.maxQueue = encoder.encodeQueueSize
    },
    async finish() {
      if (failure) throw failure
      await encoder.flush()
      await muxed
      if (failure) throw failure
      encoder.close()
      await output.finalize()
      const buffer = target.buffer
      if (!buffer) throw new Error('the WebM muxer produced no file')
      return new Uint8Array(buffer)
    },
    close() {
      if (encoder.state !== 'closed') encoder.close()
      void output.cancel().catch(() => undefined)
    },
  }
}
