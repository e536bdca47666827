/**
 * Gives XR input-source events (selectstart/selectend/squeeze…) the replay's clock as their
 * `timeStamp` during a deterministic replay.
 *
 * Why: pointer-events (@pmndrs/pointer-events, used by @react-three/xr) decide "click" from the
 * events' `timeStamp`: a release within 300 ms of the press. A timeStamp is wall time, so the same
 * recorded press could click on a fast machine and not on a loaded CI runner. Stamping the events
 * with the loop's replay timestamp makes the press last exactly as long as it did when recorded,
 * so the outcome no longer depends on how fast the replaying machine is.
 */

/** Installs the stamping on `session`; returns the function that removes it. */
export function stampInputEventsWithReplayTime(session: XRSession, now: () => number): () => void {
  const target = session as XRSession & { dispatchEvent(event: Event): boolean }
  const original = target.dispatchEvent
  const stamped = function dispatchStamped(this: XRSession, event: Event): boolean {
    if ('inputSource' in event) {
      // Event.timeStamp is a prototype getter; an own property shadows it for this event only.
      Object.defineProperty(event, 'timeStamp', { value: now(), configurable: true })
    }
    return original.call(this, event)
  }
  target.dispatchEvent = stamped
  return () => {
    if (target.dispatchEvent === stamped) target.dispatchEvent = original
  }
}
