/**
 * Picks the recording container and codecs the browser can encode. Chromium (Quest Browser, Chrome)
 * records WebM with VP9/VP8/H.264 + Opus; Safari records MP4 (H.264 + AAC); newer Chromium also
 * MP4. The first candidate `isTypeSupported` accepts wins, so the order is the preference:
 * VP8 first — the cheapest software encode, and the headset's CPU is what the frame budget
 * protects (a local recording at 4 Mbit/s does not need VP9's saving in bits, and VP9 in software
 * dropped frames on a loaded machine in our tests); then VP9, H.264 (hardware on some phones, but
 * not every player takes it in WebM), then MP4 (Safari).
 */

/** A container/codec choice. */
export interface MediaFormat {
  mimeType: string
  extension: 'webm' | 'mp4'
}

const WITH_AUDIO: readonly MediaFormat[] = [
  { mimeType: 'video/webm;codecs=vp8,opus', extension: 'webm' },
  { mimeType: 'video/webm;codecs=vp9,opus', extension: 'webm' },
  { mimeType: 'video/webm;codecs=h264,opus', extension: 'webm' },
  { mimeType: 'video/mp4;codecs=avc1.42E01E,mp4a.40.2', extension: 'mp4' },
  { mimeType: 'video/mp4', extension: 'mp4' },
  { mimeType: 'video/webm', extension: 'webm' },
]

const VIDEO_ONLY: readonly MediaFormat[] = [
  { mimeType: 'video/webm;codecs=vp8', extension: 'webm' },
  { mimeType: 'video/webm;codecs=vp9', extension: 'webm' },
  { mimeType: 'video/webm;codecs=h264', extension: 'webm' },
  { mimeType: 'video/mp4;codecs=avc1.42E01E', extension: 'mp4' },
  { mimeType: 'video/mp4', extension: 'mp4' },
  { mimeType: 'video/webm', extension: 'webm' },
]

/** The candidates tried, in order. */
export function recordingFormatCandidates(withAudio: boolean): readonly MediaFormat[] {
  return withAudio ? WITH_AUDIO : VIDEO_ONLY
}

/** The best format `isTypeSupported` accepts, or null when the browser can record none of them. */
export function pickRecordingFormat(isTypeSupported: (mimeType: string) => boolean, withAudio: boolean): MediaFormat | null {
  for (const f of recordingFormatCandidates(withAudio)) {
    try {
      if (isTypeSupported(f.mimeType)) return f
    } catch {
      // Some engines throw on codec strings they cannot parse: treat as unsupported.
    }
  }
  return null
}

/** The extension for a MIME type the encoder reported (it may differ from the one asked for). */
export function extensionForMimeType(mimeType: string): 'webm' | 'mp4' {
  return /^video\/mp4|^audio\/mp4/i.test(mimeType) ? 'mp4' : 'webm'
}
