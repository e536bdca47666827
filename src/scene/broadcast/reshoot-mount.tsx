import { lazy } from 'react'
import type { Programme } from '../../runtime/broadcast/programme'

// The re-shoot code (and its muxer) is its own chunk, loaded only with ?reshoot=: no cost otherwise.
// No Suspense boundary of its own on purpose: the experience stays "loading" (so the replay waits)
// until the chunk is here and the encoder is open, and the first recorded frame is re-shot too.
const ReshootRecorder = lazy(() => import('./reshoot-recorder'))
const requested = typeof location !== 'undefined' && new URLSearchParams(location.search).has('reshoot')

/** Mounts re-shoot mode (reshoot-recorder.tsx) for a programme when the page was opened with `?reshoot=`. */
export function ReshootMount({ programme }: { programme: Programme }) {
  if (!requested) return null
  return <ReshootRecorder programme={programme} />
}
