import { describe, expect, it } from 'vitest'
import { extensionForMimeType, pickRecordingFormat } from './media-format'

describe('pickRecordingFormat', () => {
  it('prefers VP8 + Opus in WebM (cheapest to encode on the headset)', () => {
    expect(pickRecordingFormat(() => true, true)).toEqual({ mimeType: 'video/webm;codecs=vp8,opus', extension: 'webm' })
  })

  it('falls back in order: VP9, then MP4 (Safari)', () => {
    const vp9Only = new Set(['video/webm;codecs=vp9,opus', 'video/webm'])
    expect(pickRecordingFormat((t) => vp9Only.has(t), true)?.mimeType).toBe('video/webm;codecs=vp9,opus')
    const safari = new Set(['video/mp4', 'video/mp4;codecs=avc1.42E01E,mp4a.40.2'])
    expect(pickRecordingFormat((t) => safari.has(t), true)).toEqual({ mimeType: 'video/mp4;codecs=avc1.42E01E,mp4a.40.2', extension: 'mp4' })
  })

  it('asks for video-only codecs without a microphone', () => {
    const asked: string[] = []
    pickRecordingFormat((t) => (asked.push(t), false), false)
    expect(asked.every((t) => !t.includes('opus') && !t.includes('mp4a'))).toBe(true)
  })

  it('returns null when nothing is supported, and survives a throwing check', () => {
    expect(pickRecordingFormat(() => false, true)).toBeNull()
    expect(
      pickRecordingFormat((t) => {
        if (t.includes('vp8')) throw new Error('cannot parse')
        return t.includes('vp9')
      }, true)?.mimeType,
    ).toBe('video/webm;codecs=vp9,opus')
  })

  it('maps reported MIME types to extensions', () => {
    expect(extensionForMimeType('video/mp4; codecs="avc1"')).toBe('mp4')
    expect(extensionForMimeType('video/x-matroska;codecs=avc1')).toBe('webm')
  })
})
