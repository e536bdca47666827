import { Suspense, lazy } from 'react'
import type { Programme } from './programme'

// The re-shoot code (and its muxer) is its own chunk, loaded only with ?reshoot=: no cost otherwise.
const ReshootRecorder = lazy(() => import('./reshoot-recorder'))
const requested = typeof location !== 'undefined' && new URLSearchParams(location.search).has('reshoot')

/** Mounts re-shoot mode (reshoot-recorder.tsx) for a programme when the page was opened with `?reshoot=`. */
export function ReshootMount({ programme }: { programme: Programme }) {
  if (!requested) return null
  return (
    <Suspense fallback={null}>
      <ReshootRecorder programme={programme} />
    </Suspense>
  )
}
