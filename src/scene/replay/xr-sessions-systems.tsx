import { useEffect, useMemo, useRef, useState } from 'react'
import { Matrix4, Quaternion, Vector3, type Group } from 'three'
import { useLingjing } from '../lingjing-context'
import { useAppState } from '../use-app-state'
import { formatClock, rt } from '../../core/replay/replay-strings'
import { useLang } from '../use-lang'
import { TextPanel } from '../components/text-panel'
import { useFrameSystem } from '../frame/use-frame-system'
import type { Pose } from '../../core/input/input-snapshot'
import { useXRSessionsState } from './use-xr-sessions-state'

declare module '../../core/diagnostics/diagnostics' {
  interface SnapshotSections {
    /** Where the in-world record button is, in the XR reference space (for tests to aim at). */
    recorderMenu?: { visible: boolean; position?: [number, number, number] }
  }
}

/** Where the wrist menu floats: above the left hand, in metres (world up, not hand up). */
const WRIST_MENU_LIFT = 0.11
/** The head-locked REC badge: left of and above the view centre, half a metre out. */
const BADGE_OFFSET = new Vector3(-0.13, 0.09, -0.5)

/**
 * The scene side of xr-sessions, mounted once inside <XR>:
 * - the one input-phase system that fills `lj.xrSessions.input` (live XRFrame or replay) and,
 *   while recording, appends it to the take;
 * - the in-world recorder menu: a Record/Stop button floating above the left hand, and a small
 *   head-locked "● REC" badge while recording. Both are placed by an animation-phase system (no
 *   useFrame) and hidden during replays and outside immersive sessions.
 */
export function XRSessionsSystems() {
  const lingjing = useLingjing()
  const { xrSessions, xr, app } = lingjing
  const lang = useLang()
  const presenting = useAppState(app, (s) => s.presenting)
  const recorderStatus = useXRSessionsState((s) => s.recorder.status)
  const replaying = useXRSessionsState((s) => s.replay.status !== 'none' && s.replay.status !== 'error')
  const menu = useRef<Group>(null)
  const badge = useRef<Group>(null)
  const scratch = useMemo(() => ({ head: new Matrix4(), world: new Matrix4(), p: new Vector3(), q: new Quaternion(), s: new Vector3(), target: new Vector3() }), [])

  useFrameSystem('xr-sessions-input', 'input', (ctx) => xrSessions.updateInput(ctx), -100)

  // Where the in-world record button is, in the XR reference space (what the emulator's poses
  // use), so tests can point a controller at it. Computed on demand only.
  useEffect(
    () =>
      lingjing.diagnostics.setSection('recorderMenu', () => {
        const m = menu.current
        if (!m || !m.visible) return { visible: false }
        const p = m.getWorldPosition(new Vector3())
        const origin = xr.getState().origin
        if (origin) origin.worldToLocal(p)
        return { visible: true, position: [p.x, p.y, p.z] as [number, number, number] }
      }),
    [lingjing.diagnostics, xr],
  )

  useFrameSystem('xr-sessions-menu', 'animation', () => {
    const m = menu.current
    const b = badge.current
    if (!m || !b) return
    const input = xrSessions.input
    const show = xrSessions.inputValid && xrSessions.replay === null
    const origin = xr.getState().origin
    // Head in world space: the XR origin's transform times the viewer pose.
    const headPose: Pose = input.head
    scratch.p.set(headPose.position[0], headPose.position[1], headPose.position[2])
    scratch.q.set(headPose.orientation[0], headPose.orientation[1], headPose.orientation[2], headPose.orientation[3])
    scratch.s.set(1, 1, 1)
    scratch.head.compose(scratch.p, scratch.q, scratch.s)
    if (origin) scratch.world.multiplyMatrices(origin.matrixWorld, scratch.head)
    else scratch.world.copy(scratch.head)
    scratch.world.decompose(scratch.target, scratch.q, scratch.s)

    // Badge: fixed in view while recording.
    b.visible = show && xrSessions.recorder.recording
    if (b.visible) {
      b.position.copy(BADGE_OFFSET).applyQuaternion(scratch.q).add(scratch.target)
      b.quaternion.copy(scratch.q)
    }

    // Wrist menu: above the left hand (or the right when only that one is tracked), facing the head.
    const left = input.sources[0]
    const hand = left.connected ? left : input.sources[1]
    m.visible = show && hand.connected
    if (!m.visible) return
    const grip = hand.grip
    scratch.p.set(grip.position[0], grip.position[1] + WRIST_MENU_LIFT, grip.position[2])
    if (origin) scratch.p.applyMatrix4(origin.matrixWorld)
    m.position.copy(scratch.p)
    m.lookAt(scratch.target)
  })

  const recording = recorderStatus === 'recording'
  const [now, setNow] = useState(0)
  // The timer text changes once a second (a texture redraw per second, never per frame).
  useEffect(() => {
    if (!recording) return
    const id = setInterval(() => setNow(performance.now()), 1000)
    return () => clearInterval(id)
  }, [recording])
  const elapsed = recording ? Math.max(0, now - xrSessions.getState().recorder.startedAtMs) : 0
  const other = lang === 'zh' ? 'en' : 'zh'

  if (!presenting || replaying) return null
  return (
    <>
      <group ref={menu} visible={false} name="xr-sessions-wrist-menu">
        <TextPanel
          name="xr-sessions-record-button"
          width={0.2}
          height={0.075}
          pixelsPerMetre={2400}
          align="center"
          background={recording ? 'rgba(120, 10, 20, 0.92)' : 'rgba(12, 22, 38, 0.9)'}
          border={recording ? '#ff4d5e' : '#4fc3ff'}
          onClick={() => xrSessions.toggleRecording()}
          lines={
            recording
              ? [
                  { text: `■ ${rt('stop', lang)}  ${formatClock(elapsed)}`, size: 44, weight: 700, color: '#ffffff' },
                  { text: rt('stop', other), size: 26, color: '#ffc9cf' },
                ]
              : [
                  { text: `● ${rt('record', lang)}`, size: 44, weight: 700, color: '#ff6b78' },
                  { text: rt('record', other), size: 26, color: '#9cc9ee' },
                ]
          }
        />
      </group>
      <group ref={badge} visible={false} name="xr-sessions-rec-badge">
        <TextPanel
          width={0.12}
          height={0.03}
          pixelsPerMetre={2400}
          align="center"
          background="rgba(160, 0, 16, 0.85)"
          lines={[{ text: `${rt('rec', lang)} ${formatClock(elapsed)}`, size: 30, weight: 700, color: '#ffffff' }]}
        />
      </group>
    </>
  )
}
