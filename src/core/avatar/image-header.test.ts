import { describe, expect, it } from 'vitest'
import { pngHeader, TINY_PNG_BASE64 } from '../../tools/make-hostile-corpus'
import { readImageHeader } from './image-header'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('readImageHeader', () => {
  it('reads a real PNG and a PNG bomb header without decoding', () => {
    const tiny = Uint8Array.from(atob(TINY_PNG_BASE64), (c) => c.charCodeAt(0))
    expect(readImageHeader(tiny)).toEqual({ format: 'png', width: 1, height: 1, pixels: 1 })
    expect(readImageHeader(pngHeader(60_000, 60_000))).toEqual({ format: 'png', width: 60_000, height: 60_000, pixels: 3_600_000_000 })
    expect(readImageHeader(pngHeader(16, 16).slice(0, 20))).toBe('truncated')
  })

  it('walks JPEG segments to the frame header', () => {
    // SOI, an APP1 segment of 4 bytes, then SOF2 (progressive) 300 × 200.
    const jpeg = bytes(0xff, 0xd8, 0xff, 0xe1, 0, 4, 9, 9, 0xff, 0xc2, 0, 11, 8, 0, 200, 1, 44, 1, 1, 0x11, 0)
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 300, height: 200, pixels: 60_000 })
    expect(readImageHeader(bytes(0xff, 0xd8, 0xff, 0xc4, 0, 4, 0, 0))).toBe('truncated')
  })

  it('reads the three WebP kinds', () => {
    const riff = (chunk: string, body: number[]) => bytes(0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, ...[...chunk].map((c) => c.charCodeAt(0)), ...body)
    const lossy = riff('VP8 ', [0, 0, 0, 0, 0, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0, 0])
    expect(readImageHeader(lossy)).toMatchObject({ format: 'webp', width: 320, height: 240 })
    // Lossless: 14 bits width − 1, 14 bits height − 1 after the 0x2f signature.
    const w = 99
    const h = 49
    const bits = (w - 1) | ((h - 1) << 14)
    const lossless = riff('VP8L', [0, 0, 0, 0, 0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >> 24) & 255, 0, 0, 0, 0, 0])
    expect(readImageHeader(lossless)).toMatchObject({ format: 'webp', width: 99, height: 49 })
    const extended = riff('VP8X', [10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x0f, 0, 0xff, 0x07, 0])
    expect(readImageHeader(extended)).toMatchObject({ format: 'webp', width: 4096, height: 2048 })
  })

  it('refuses what it does not know', () => {
    expect(readImageHeader(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unknown-format')
    expect(readImageHeader(bytes())).toBe('unknown-format')
    expect(readImageHeader(pngHeader(0, 10))).toBe('bad-header')
  })
})
