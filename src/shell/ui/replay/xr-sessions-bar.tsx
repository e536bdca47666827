import { createPortal } from 'react-dom'
import { RecorderControls } from './recorder-controls'
import { ReplayPanel } from './replay-panel'
import './replay.css'

/**
 * The recorder controls and the replay opener, in a bar fixed at the top left of the page, above
 * everything: in the desktop emulator IWER lays its full-screen canvas (z-index 999) over the page
 * while a session runs, which would hide and block anything inside the overlay header.
 */
export function XRSessionsBar() {
  return createPortal(
    <div className="xr-sessions-bar">
      <RecorderControls />
      <ReplayPanel />
    </div>,
    document.body,
  )
}
