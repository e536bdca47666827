import type { MediaTakeInfo } from './media-take-store'

/** A fresh take summary for tests. */
export function takeInfo(id: string, startedAt = '2026-01-01T00:00:00.000Z'): MediaTakeInfo {
  return { id, name: id, mimeType: 'video/webm;codecs=vp8,opus', extension: 'webm', startedAt, experience: 'livestream', state: 'recording', bytes: 0, chunks: 0, durationMs: 0 }
}
